import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir, targets, type TestDatabase } from "../support/databases.js";
import { autogenerate } from "../../src/commands/autogenerate.js";
import { upgrade, downgrade } from "../../src/commands/migrate.js";
import { diff } from "../../src/commands/diff.js";
import { check } from "../../src/commands/check.js";

/** Tables that already hold rows, then the changes a Drizzle user commonly makes to them. */
const BASE = `
CREATE TABLE parents (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE items (id int PRIMARY KEY, parent_id int, code text, qty int);
`;
const CHANGED = `
CREATE TABLE parents (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE items (
  id int PRIMARY KEY,
  parent_id int REFERENCES parents (id),
  code text NOT NULL CONSTRAINT items_code_key UNIQUE,
  qty int CONSTRAINT items_qty_positive CHECK (qty > 0)
);
CREATE INDEX ix_items_qty ON items (qty);
`;
const ROWS = "INSERT INTO parents SELECT g, 'p' || g FROM generate_series(1, 50) g; INSERT INTO items SELECT g, 1 + g % 50, 'c' || g, 1 + g % 7 FROM generate_series(1, 2000) g;";
const LOCK_RULES = ["index-not-concurrent", "constraint-not-valid", "lock-timeout", "set-not-null-without-check", "unique-constraint-without-index", "concurrently-in-transaction"];

function project(url: string, model: string, config = ""): string {
  const dir = repoTempDir("safe");
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)}, schema: { sql: "./schema.sql" }${config} });\n`);
  fs.mkdirSync(path.join(dir, "migrations"));
  fs.writeFileSync(path.join(dir, "schema.sql"), model);
  return dir;
}

for (const t of targets) {
  describe(`the lock-safe form on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    const start = async (config = "") => {
      const db = await tdb.open();
      await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      await db.close();
      const dir = project(tdb.url, BASE, config);
      await autogenerate({ cwd: dir, message: "base" });
      await upgrade({ cwd: dir });
      const rows = await tdb.open();
      await rows.exec(ROWS);
      await rows.close();
      fs.writeFileSync(path.join(dir, "schema.sql"), CHANGED);
      return dir;
    };

    it("a foreign key, a CHECK, NOT NULL, a unique constraint and an index on tables with rows: NOT VALID then VALIDATE, a CHECK for NOT NULL, indexes built concurrently — no error or lock warning, applied, reversed, applied again", async () => {
      const dir = await start();
      const r = await autogenerate({ cwd: dir, message: "item rules" });
      expect(r.files.map((f) => f.file)).toEqual(["migrations/002_item_rules.ts", "migrations/003_item_rules_concurrently.ts"]);
      const [first, second] = r.files.map((f) => fs.readFileSync(f.path, "utf8"));
      expect(first).toMatch(/op\.createForeignKey\("items_parent_id_fkey", "items", \["parent_id"\], "parents", \["id"\], \{\s*notValid: true,?\s*\}\)/);
      expect(first).toContain(`op.createCheckConstraint("items_qty_positive", "items", "qty > 0", { notValid: true });`);
      expect(second).toContain(`op.createCheckConstraint("items_code_not_null", "items", "code IS NOT NULL", { notValid: true });`);
      expect(first).not.toContain("createIndex");
      expect(second).toContain("transactional: false,");
      for (const name of ["items_parent_id_fkey", "items_qty_positive", "items_code_not_null"]) expect(second).toContain(`op.validateConstraint("${name}", "items");`);
      expect(second.indexOf(`op.validateConstraint("items_code_not_null"`)).toBeLessThan(second.indexOf(`op.alterColumn("items", "code", { nullable: false`));
      expect(second).toContain(`op.createIndex("items_code_key", "items", ["code"], { unique: true, concurrently: true });`);
      expect(second).toMatch(/op\.createUniqueConstraint\("items_code_key", "items", \["code"\], \{\s*usingIndex: "items_code_key",?\s*\}\)/);
      expect(second).toContain(`op.createIndex("ix_items_qty", "items", ["qty"], { concurrently: true });`);

      const checked = await check({ cwd: dir });
      expect(checked.findings.filter((f) => f.severity === "error" || LOCK_RULES.includes(f.rule)).map((f) => `${f.rule}: ${f.message}`)).toEqual([]);

      await upgrade({ cwd: dir });
      expect((await diff({ cwd: dir })).differences).toEqual([]);
      await downgrade({ cwd: dir, target: "001", allowDataLoss: true });
      fs.writeFileSync(path.join(dir, "schema.sql"), BASE);
      expect((await diff({ cwd: dir })).differences).toEqual([]);
      fs.writeFileSync(path.join(dir, "schema.sql"), CHANGED);
      await upgrade({ cwd: dir });
      expect((await diff({ cwd: dir })).differences).toEqual([]);
    });

    it("autogenerate.safe: false (or --safe=false) writes the plain one-step form in one file", async () => {
      const dir = await start(", autogenerate: { safe: false }");
      const r = await autogenerate({ cwd: dir, message: "item rules" });
      expect(r.files.map((f) => f.file)).toEqual(["migrations/002_item_rules.ts"]);
      const text = fs.readFileSync(r.files[0].path, "utf8");
      expect(text).not.toContain("notValid");
      expect(text).not.toContain("concurrently");
      expect(text).toContain(`op.alterColumn("items", "code", { nullable: false`);
      await upgrade({ cwd: dir, check: false });
      expect((await diff({ cwd: dir })).differences).toEqual([]);
    });
  });
}
