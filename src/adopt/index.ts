import type { ForeignTool } from "./types.js";
import { drizzleKit } from "./drizzle-kit.js";
import { prisma } from "./prisma.js";

export type { ForeignChain, ForeignMigration, ForeignTool } from "./types.js";

/** The tools `sluice import` reads, by the name given on the command line. */
export const FOREIGN_TOOLS: Readonly<Record<string, ForeignTool>> = {
  "drizzle-kit": drizzleKit,
  prisma,
};
