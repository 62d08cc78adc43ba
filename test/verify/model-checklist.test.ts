import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir } from "../support/databases.js";
import { sluice } from "../support/cli.js";

const SCHEMA = `import { pgTable, uuid, text, integer } from "drizzle-orm/pg-core";
export const parents = pgTable("parents", { id: uuid("id").primaryKey().defaultRandom(), name: text("name").notNull() });
export const children = pgTable("children", {
  id: uuid("id").primaryKey().defaultRandom(),
  parentId: uuid("parent_id").references(() => parents.id, { onDelete: "cascade" }),
  rank: integer("rank").notNull(),
  note: text("note"),
});
`;
const RELATIONS_BOTH = `import { relations } from "drizzle-orm";
import { parents, children } from "./schema";
export const parentsRelations = relations(parents, ({ many }) => ({ children: many(children) }));
export const childrenRelations = relations(children, ({ one }) => ({ parent: one(parents, { fields: [children.parentId], references: [parents.id] }) }));
`;
const API = (childShape: string) => `import { z } from "zod";
export const apiSchemas = {
  parents: z.object({ id: z.string(), name: z.string() }),
  children: z.object({ ${childShape} }),
};
`;

function project(relations: string, childShape: string): string {
  const dir = repoTempDir("models");
  fs.mkdirSync(path.join(dir, "migrations"));
  fs.writeFileSync(path.join(dir, "schema.ts"), SCHEMA);
  fs.writeFileSync(path.join(dir, "relations.ts"), relations);
  fs.writeFileSync(path.join(dir, "api.ts"), API(childShape));
  fs.writeFileSync(
    path.join(dir, "sluice.config.ts"),
    `import { defineConfig } from "sluice";\nexport default defineConfig({ database: "pglite:memory", schema: { drizzle: "./schema.ts" }, relations: "./relations.ts", apiSchemas: "./api.ts" });\n`,
  );
  return dir;
}

describe("sluice check --models: the post-migration model checklist", () => {
  it("passes a model with relations on both sides and API schemas that match nullability", async () => {
    const dir = project(RELATIONS_BOTH, "id: z.string(), parentId: z.string().nullable(), rank: z.number(), note: z.string().nullable()");
    try {
      const r = await sluice(dir, ["check", "--models", "--format", "json"]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.findings.filter((f: { rule: string }) => f.rule.startsWith("model-"))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a missing back relation, a missing column, a nullable column the API requires and a NOT NULL one it lets go", async () => {
    const oneSided = RELATIONS_BOTH.replace("({ many }) => ({ children: many(children) })", "() => ({})");
    const dir = project(oneSided, "id: z.string(), parentId: z.string(), rank: z.number().optional()");
    try {
      const r = await sluice(dir, ["check", "--models", "--format", "json"]);
      expect(r.code).toBe(1);
      const messages = r.json.findings.filter((f: { rule: string }) => f.rule.startsWith("model-")).map((f: { rule: string; message: string }) => `${f.rule}: ${f.message}`);
      expect(messages).toEqual([
        "model-relations: children.parent_id references parents, but the relations of parents declare no many(children) (the back side).",
        "model-api-schema: Column children.parent_id is nullable, but the API schema requires it.",
        "model-api-schema: Column children.rank is NOT NULL, but the API schema lets it be left out.",
        "model-api-schema: The API schema of children has no field for column children.note.",
      ]);
      const text = await sluice(dir, ["check", "--models"]);
      expect(text.stdout).toContain("fix: Add to relations(parents, …): many(children)");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
