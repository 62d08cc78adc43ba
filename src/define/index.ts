/**
 * The `sluice` that migration files, `sluice.config.ts` and model files get
 * when Sluice loads them (and `sluice/define` everywhere): what such a file
 * declares itself with, and the types it is written against. It reaches no
 * command, so loading a user file never pulls in the library around it.
 *
 * @example
 * // migrations/002_add_pim_id.ts
 * import { defineMigration } from "sluice";
 * export default defineMigration({
 *   revision: "002", downRevision: "001",
 *   upgrade(op) { op.addColumn("products", { name: "pim_id", type: "text" }); },
 *   downgrade(op) { op.dropColumn("products", "pim_id"); },
 * });
 */
export { defineMigration, type MigrationDefinition, type MigrationVerify } from "./migration.js";
export { defineConfig, type SluiceConfig, type ChecksConfig } from "./config.js";
export type { OpBuilder } from "../ops/builder.js";
export type * from "../ops/types.js";
