import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration, writeMigration } from "../support/project.js";

const BASE = sqlMigration(
  "001", null, "products",
  `CREATE TYPE status AS ENUM ('draft', 'live');
CREATE TABLE parents (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
CREATE TABLE products (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL, status status NOT NULL DEFAULT 'draft', parent_id uuid);`,
  "DROP TABLE products;\nDROP TABLE parents;\nDROP TYPE status;",
);

/** A correct migration, then the same with one thing missing from its downgrade. */
const cases: { what: string; up: string; down: string; brokenDown: string; difference: RegExp }[] = [
  {
    what: "an index",
    up: '    op.createIndex("ix_products_name", "products", ["name"]);\n    op.addColumn("products", { name: "sku", type: "text" });',
    down: '    op.dropColumn("products", "sku");\n    op.dropIndex("ix_products_name");',
    brokenDown: '    op.dropColumn("products", "sku");',
    difference: /table products › index ix_products_name/,
  },
  {
    what: "a constraint",
    up: '    op.createCheckConstraint("ck_products_name", "products", "char_length(name) > 0");',
    down: '    op.dropConstraint("ck_products_name", "products");',
    brokenDown: "",
    difference: /table products › check ck_products_name/,
  },
  {
    what: "an enum",
    up: '    op.createEnum("kind", ["a", "b"]);\n    op.addColumn("products", { name: "kind", type: "kind" });',
    down: '    op.dropColumn("products", "kind");\n    op.dropEnum("kind");',
    brokenDown: '    op.dropColumn("products", "kind");',
    difference: /enum kind/,
  },
];

for (const t of targets) {
  describe(`sluice verify on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());
    const shadow = t.name === "postgres" ? ["--shadow-url", "target"] : [];

    for (const c of cases) {
      it(`passes a correct round trip and fails, naming the difference, when the downgrade forgets ${c.what}`, async () => {
        const dir = makeProject(tdb.url, { "001_products.sql": BASE, "002_change.ts": tsMigration("002", "001", "change", c.up, c.down) });
        const good = await sluice(dir, ["verify", "--json", ...shadow]);
        expect(good.code, good.stdout + good.stderr).toBe(0);
        expect(good.json.revisions.map((p: { revision: string; ok: boolean }) => [p.revision, p.ok])).toEqual([["001", true], ["002", true]]);
        expect(good.json.shadow.version).toBe(t.name === "pglite" ? 18 : Number(good.json.shadow.version));
        if (t.name === "postgres") expect(good.json.shadow.kind).toBe("pg");

        writeMigration(dir, "002_change.ts", tsMigration("002", "001", "change", c.up, c.brokenDown));
        const bad = await sluice(dir, ["verify", "002", ...shadow]);
        expect(bad.code).toBe(1);
        expect(bad.stdout).toMatch(/FAIL 002/);
        expect(bad.stdout).toMatch(/downgrade does not restore: /);
        expect(bad.stdout).toMatch(c.difference);
        // The target was never touched.
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual([]);
      });
    }

    it("a dropped column added back by the downgrade returns last: noted, not a failure", async () => {
      const dir = makeProject(tdb.url, {
        "001_products.sql": BASE,
        "002_drop.ts": tsMigration("002", "001", "drop name",
          '    op.dropColumn("products", "name", { allow: { "destructive-change": "name moved to product_texts" } });',
          '    op.addColumn("products", { name: "name", type: "text", nullable: false, serverDefault: "\'\'" });\n    op.alterColumn("products", "name", { serverDefault: null, existing: { serverDefault: "\'\'" } });'),
      });
      const r = await sluice(dir, ["verify", "--json", ...shadow]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.revisions[1].notes).toEqual([expect.stringMatching(/table products › column order: .*not a failure/)]);
    });

    it("an enum value the upgrade added and the downgrade leaves is noted; any other change to the enum fails", async () => {
      const dir = makeProject(tdb.url, {
        "001_products.sql": BASE,
        "002_value.ts": tsMigration("002", "001", "retired status", '    op.addEnumValue("status", "retired", { ifNotExists: true });', "    // PostgreSQL cannot drop an enum value."),
      });
      const r = await sluice(dir, ["verify", "002", "--json", ...shadow]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.revisions[0].notes).toEqual([expect.stringMatching(/enum status keeps retired after the downgrade: .*cannot drop an enum value \(not a failure\)/)]);

      writeMigration(dir, "002_value.ts", tsMigration("002", "001", "retired status", '    op.addEnumValue("status", "retired", { ifNotExists: true });', '    op.addEnumValue("status", "archived", { ifNotExists: true });'));
      const bad = await sluice(dir, ["verify", "002", ...shadow]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/downgrade does not restore: [\s\S]*enum status › values/);
    });

    it("observes the lock levels PostgreSQL documents for common DDL", async () => {
      const dir = makeProject(tdb.url, {
        "001_products.sql": BASE,
        "002_add_column.ts": tsMigration("002", "001", "add column", '    op.addColumn("products", { name: "note", type: "text" });', '    op.dropColumn("products", "note");'),
        "003_index.ts": tsMigration("003", "002", "index", '    op.createIndex("ix_products_note", "products", ["note"]);', '    op.dropIndex("ix_products_note");'),
        "004_concurrent.sql": sqlMigration("004", "003", "concurrent index", "CREATE INDEX CONCURRENTLY ix_products_name ON products (name);", "DROP INDEX CONCURRENTLY ix_products_name;", "-- sluice:transactional false\n"),
        "005_fk.ts": tsMigration("005", "004", "fk", '    op.createForeignKey("fk_products_parent", "products", ["parent_id"], "parents", ["id"], { onDelete: "CASCADE" });', '    op.dropConstraint("fk_products_parent", "products");'),
        "006_fk_not_valid.ts": tsMigration("006", "005", "fk not valid", '    op.createForeignKey("fk_products_parent2", "products", ["parent_id"], "parents", ["id"], { onDelete: "CASCADE", notValid: true });', '    op.dropConstraint("fk_products_parent2", "products");'),
        "007_type.ts": tsMigration("007", "006", "type change", '    op.alterColumn("products", "name", { type: "varchar(100)", existing: { type: "text" } });', '    op.alterColumn("products", "name", { type: "text", existing: { type: "varchar(100)" } });'),
      });
      const r = await sluice(dir, ["verify", "--all", "--json", ...shadow]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const locks = Object.fromEntries(r.json.revisions.map((p: { revision: string; locks: { table: string; mode: string; rewrite: boolean }[] }) => [p.revision, p.locks.map((l) => `${l.table} ${l.mode}${l.rewrite ? " rewrite" : ""}`)]));
      expect(locks["002"]).toEqual(["public.products ACCESS EXCLUSIVE"]);
      expect(locks["003"]).toEqual(["public.products SHARE"]);
      expect(locks["004"]).toEqual(["public.products SHARE UPDATE EXCLUSIVE"]);
      expect(locks["005"]).toEqual(["public.parents SHARE ROW EXCLUSIVE", "public.products SHARE ROW EXCLUSIVE"]);
      expect(locks["006"]).toEqual(["public.parents SHARE ROW EXCLUSIVE", "public.products SHARE ROW EXCLUSIVE"]);
      expect(locks["007"]).toEqual(["public.products ACCESS EXCLUSIVE rewrite"]);
      const text = await sluice(dir, ["verify", "002", ...shadow]);
      expect(text.stdout).toContain("upgrade 002 takes ACCESS EXCLUSIVE on products (rewrite: no)");
    });

    it("replays the predecessors of a proved revision as upgrade would: an enum value used after its commit, a non-transactional one, a failure named by file", async () => {
      const files = {
        "001_products.sql": BASE,
        "002_value.sql": sqlMigration("002", "001", "enum value", "ALTER TYPE status ADD VALUE 'retired';", "SELECT 1;"),
        // Uses the value 002 added: fine after 002's commit, an error in the same transaction.
        "003_use.sql": sqlMigration("003", "002", "use value", "UPDATE products SET status = 'retired' WHERE status = 'retired';\nALTER TABLE products ALTER COLUMN status SET DEFAULT 'retired';", "ALTER TABLE products ALTER COLUMN status SET DEFAULT 'draft';"),
        "004_concurrent.sql": sqlMigration("004", "003", "concurrent index", "CREATE INDEX CONCURRENTLY ix_products_name ON products (name);", "DROP INDEX CONCURRENTLY ix_products_name;", "-- sluice:transactional false\n"),
        "005_sku.ts": tsMigration("005", "004", "sku", '    op.addColumn("products", { name: "sku", type: "text" });', '    op.dropColumn("products", "sku");'),
      };
      const dir = makeProject(tdb.url, files);
      const r = await sluice(dir, ["verify", "005", "--json", ...shadow]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.revisions.map((p: { revision: string }) => p.revision)).toEqual(["005"]);
      expect(r.json.revisions[0].changes).toEqual([expect.stringMatching(/table products › column sku/)]);

      writeMigration(dir, "003_use.sql", sqlMigration("003", "002", "use value", "ALTER TABLE products ADD COLUMN note text;\nALTER TABLE no_such_table ADD COLUMN note text;", "SELECT 1;"));
      const broken = await sluice(dir, ["verify", "005", ...shadow]);
      expect(broken.code).toBe(3);
      expect(broken.stderr).toMatch(/Upgrade of revision 003 failed at migrations\/003_use\.sql:\d+/);
    });

    it("replays a predecessor's SET LOCAL as upgrade does: it ends with that migration's transaction", async () => {
      const dir = makeProject(tdb.url, {
        "001_products.sql": BASE,
        "002_app.sql": sqlMigration("002", "001", "app schema", "CREATE SCHEMA app;\nSET LOCAL search_path = app;\nCREATE TABLE gadgets (id int);", "DROP SCHEMA app CASCADE;"),
        "003_widgets.sql": sqlMigration("003", "002", "widgets", "CREATE TABLE widgets (id int);", "DROP TABLE widgets;"),
        "004_size.ts": tsMigration("004", "003", "size", '    op.addColumn("public.widgets", { name: "size", type: "int" });', '    op.dropColumn("public.widgets", "size");'),
      });
      const r = await sluice(dir, ["verify", "004", "--json", ...shadow]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.json.revisions[0].changes).toEqual([expect.stringMatching(/table widgets › column size/)]);
    });

    it("sample rows (the default; --no-data skips them) find a migration that cannot run on a non-empty table, and measures an undeclared backfill", async () => {
      const dir = makeProject(tdb.url, {
        "001_products.sql": BASE,
        "002_required.ts": tsMigration("002", "001", "required column", '    op.addColumn("products", { name: "code", type: "text", nullable: false });', '    op.dropColumn("products", "code");'),
      });
      expect((await sluice(dir, ["verify", "--no-data", ...shadow])).code).toBe(0);
      // Sample rows are the default: a plain verify fails too.
      const withData = await sluice(dir, ["verify", "--json", ...shadow]);
      expect(withData.code).toBe(1);
      expect(withData.json.revisions[1].error.step).toBe("upgrade");
      expect(withData.json.revisions[1].error.message).toMatch(/contains null values|23502/);

      writeMigration(dir, "002_required.ts", tsMigration("002", "001", "backfill",
        '    op.addColumn("products", { name: "code", type: "text", nullable: true });\n    op.execute("UPDATE products SET code = upper(name) WHERE name <> \'sample 2\'");',
        '    op.dropColumn("products", "code");'));
      const measured = await sluice(dir, ["verify", "--data", "--json", ...shadow]);
      expect(measured.code, measured.stdout).toBe(0);
      expect(measured.json.revisions[1].backfills).toEqual([{ assertion: "notNull products.code", declared: false, violations: 1 }]);
    });
  });

  describe(`backfill assertions on the target (${t.name})`, () => {
    it("a failing verify assertion rolls the upgrade back, exit 1, and says how many rows violate it", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, {
          "001_products.sql": BASE.replace("parent_id uuid);", "parent_id uuid);\nINSERT INTO products (name) VALUES ('a'), ('b'), ('');"),
          "002_backfill.ts": tsMigration("002", "001", "backfill",
            '    op.addColumn("products", { name: "slug", type: "text", nullable: true });\n    op.execute("UPDATE products SET slug = nullif(name, \'\') WHERE slug IS NULL");',
            '    op.dropColumn("products", "slug");', '\n  verify: { notNull: ["products.slug"] },'),
          "003_sql.sql": sqlMigration("003", "002", "sql verify", "UPDATE products SET name = name WHERE name IS NOT NULL;", "SELECT 1;", "-- sluice:verify-empty SELECT 1 FROM products WHERE name = ''\n"),
        });
        const r = await sluice(dir, ["upgrade", "--json"]);
        expect(r.code).toBe(1);
        expect(r.json).toMatchObject({ error: "verify-failed", revision: "002", violations: 1 });
        expect(r.stderr).toMatch(/1 row\(s\) of products still have slug NULL/);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);
        const db = await tdb.open();
        try {
          expect((await db.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'slug'")).rows).toHaveLength(0);
        } finally {
          await db.close();
        }
        writeMigration(dir, "002_backfill.ts", tsMigration("002", "001", "backfill",
          '    op.addColumn("products", { name: "slug", type: "text", nullable: true });\n    op.execute("UPDATE products SET slug = coalesce(nullif(name, \'\'), \'unnamed\') WHERE slug IS NULL");',
          '    op.dropColumn("products", "slug");', '\n  verify: { notNull: ["products.slug"] },'));
        const sqlFail = await sluice(dir, ["upgrade", "--json"]);
        expect(sqlFail.code).toBe(1);
        expect(sqlFail.json).toMatchObject({ error: "verify-failed", revision: "003", violations: 1 });
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["002"]);
      } finally {
        await tdb.drop();
      }
    });
  });
}
