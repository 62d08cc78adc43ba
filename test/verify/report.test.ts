import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { targets } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration } from "../support/project.js";

const BASE = sqlMigration(
  "001", null, "products",
  "CREATE TABLE parents (id uuid PRIMARY KEY DEFAULT gen_random_uuid());\nCREATE TABLE products (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL, existing_field text);\nINSERT INTO products (name, existing_field) VALUES ('a', 'x'), ('b', NULL);",
  "DROP TABLE products;\nDROP TABLE parents;",
);
const CHANGE = tsMigration(
  "002", "001", "pim id, parent and backfill",
  `    op.addColumn("products", { name: "new_field", type: "text", nullable: true });
    op.execute("UPDATE products SET new_field = existing_field WHERE new_field IS NULL");
    op.addColumn("products", { name: "parent_id", type: "uuid", nullable: true, references: { table: "parents", column: "id", onDelete: "CASCADE" } });
    op.addColumn("products", { name: "pim_id", type: "text", nullable: true });
    op.createIndex("uq_products_pim_id", "products", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });`,
  `    op.dropIndex("uq_products_pim_id");
    op.dropColumn("products", "pim_id");
    op.dropColumn("products", "parent_id");
    op.dropColumn("products", "new_field");`,
);

for (const t of targets) {
  describe(`sluice report on ${t.name}`, () => {
    it("upgrade --report writes the seed's report: file, current, backfill, constraint changes, verify and locks", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, { "001_products.sql": BASE, "002_change.ts": CHANGE });
        const up = await sluice(dir, ["upgrade", "--report", "report.md"]);
        expect(up.code, up.stderr).toBe(0);
        const md = fs.readFileSync(path.join(dir, "report.md"), "utf8");
        expect(md).toContain("## Migration 002: pim id, parent and backfill");
        expect(md).toContain("`migrations/002_change.ts`");
        expect(md).toContain("**`sluice current`:** 002 (head 002, next 003)");
        // One of the two rows had nothing to copy: the backfill left it NULL, and the report says so.
        expect(md).toContain("❌ `notNull products.new_field`: 1 row(s) violate it _(measured, not declared)_");
        expect(md).toMatch(/new foreign key products_parent_id_fkey on products \(parent_id\) → parents \(id\), ON DELETE CASCADE: deleting a parents row now deletes its products rows/);
        expect(md).toMatch(/new unique index uq_products_pim_id on products \(pim_id\) WHERE \(?pim_id IS NOT NULL\)?/);
        expect(md).toContain("✅ Round trip (upgrade → downgrade → upgrade) restores the schema exactly");
        expect(md).toContain("upgrade 002 takes ACCESS EXCLUSIVE on products (rewrite: no)");

        const json = await sluice(dir, ["report", "001", "--json"]);
        expect(json.code, json.stderr).toBe(0);
        expect(json.json).toMatchObject({ revision: "001", file: "migrations/001_products.sql", status: { current: ["002"] }, verify: { ok: true } });
      } finally {
        await tdb.drop();
      }
    });
  });
}
