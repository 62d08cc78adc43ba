import { describe, expect, it } from "vitest";
import { targets } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration, writeMigration } from "../support/project.js";
import { downgrade } from "../../src/commands/migrate.js";
import type { DataLoss } from "../../src/commands/data-loss.js";
import type { Db } from "../../src/db/types.js";

const M001 = sqlMigration("001", null, "create products", "CREATE TABLE products (id bigint PRIMARY KEY, name text NOT NULL);", "DROP TABLE products;");
const M002 = tsMigration(
  "002", "001", "add notes",
  `    op.addColumn("products", { name: "notes", type: "text", nullable: true });`,
  `    op.dropColumn("products", "notes");`,
);

async function withDb<T>(open: () => Promise<Db>, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const notes = (db: Db) => db.query<{ notes: string | null }>("SELECT notes FROM products ORDER BY id").then((r) => r.rows.map((x) => x.notes));
const columns = (db: Db) =>
  db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'products' ORDER BY ordinal_position").then((r) => r.rows.map((x) => x.column_name));

for (const t of targets) {
  describe(`a downgrade that loses data, on ${t.name}`, () => {
    it("downgrade -1 of a migration whose column now holds values is refused without --yes, changes nothing, and runs with --yes", { timeout: 300_000 }, async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, { "001_create_products.sql": M001, "002_add_notes.ts": M002 });
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        await withDb(tdb.open, (db) => db.exec("INSERT INTO products VALUES (1, 'a', 'keep me'), (2, 'b', NULL)"));

        const refused = await sluice(dir, ["downgrade", "-1"]);
        expect(refused.code, refused.stderr).toBe(2);
        expect(refused.stderr).toContain("downgrade 002 (migrations/002_add_notes.ts:");
        expect(refused.stderr).toContain("drops column products.notes, which holds values");
        expect(refused.stderr).toMatch(/nothing was rolled back/);
        expect(refused.stderr).toMatch(/rerun with --yes/);
        const json = await sluice(dir, ["downgrade", "-1", "--json"]);
        expect(json.code).toBe(2);
        expect(json.json).toMatchObject({ error: "data-loss", losses: [{ revision: "002", file: "migrations/002_add_notes.ts", table: "products", column: "notes", loses: "values" }] });
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["002"]);
        expect(await withDb(tdb.open, notes)).toEqual(["keep me", null]);

        const yes = await sluice(dir, ["downgrade", "-1", "--yes", "--json"]);
        expect(yes.code, yes.stderr).toBe(0);
        expect(yes.json).toMatchObject({ to: ["001"], dataLoss: [{ revision: "002", column: "notes" }] });
        expect(await withDb(tdb.open, columns)).toEqual(["id", "name"]);

        // --allow-data-loss is the same flag; the raw DROP TABLE of a .sql downgrade is found as well.
        const base = await sluice(dir, ["downgrade", "base", "--json"]);
        expect(base.code).toBe(2);
        expect(base.json.losses).toEqual([expect.objectContaining({ revision: "001", file: "migrations/001_create_products.sql", line: 7, table: "products", column: null, loses: "rows" })]);
        expect(base.json.message).toContain("drops table products, which holds rows");
        const allowed = await sluice(dir, ["downgrade", "base", "--allow-data-loss"]);
        expect(allowed.code, allowed.stderr).toBe(0);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual([]);
      } finally {
        await tdb.drop();
      }
    });

    it("an empty column or table is dropped without asking", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, { "001_create_products.sql": M001, "002_add_notes.ts": M002 });
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        await withDb(tdb.open, (db) => db.exec("INSERT INTO products VALUES (1, 'a', NULL), (2, 'b', NULL)"));
        const column = await sluice(dir, ["downgrade", "-1", "--json"]);
        expect(column.code, column.stderr).toBe(0);
        expect(column.json.dataLoss).toBeUndefined();
        await withDb(tdb.open, (db) => db.exec("DELETE FROM products"));
        const table = await sluice(dir, ["downgrade", "base"]);
        expect(table.code, table.stderr).toBe(0);
      } finally {
        await tdb.drop();
      }
    });

    it("TRUNCATE and DELETE in a .sql downgrade count too, and --sql prints the warning as comments that no name can end", async () => {
      const tdb = await t.create();
      try {
        // A table name holding a line break and SQL must stay inside the comment.
        const evil = `"log\nDROP TABLE products; --"`;
        const M003 = sqlMigration(
          "003", "002", "seed",
          `CREATE TABLE ${evil} (id int);\nINSERT INTO products VALUES (100, 'seeded', NULL);`,
          `DELETE FROM products WHERE id >= 100;\nTRUNCATE ${evil};\nDROP TABLE ${evil};`,
        );
        const dir = makeProject(tdb.url, { "001_create_products.sql": M001, "002_add_notes.ts": M002, "003_seed.sql": M003 });
        expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
        await withDb(tdb.open, (db) => db.exec(`INSERT INTO ${evil} VALUES (1)`));

        const refused = await sluice(dir, ["downgrade", "-1", "--json"]);
        expect(refused.code).toBe(2);
        expect(refused.json.losses.map((l: DataLoss) => [l.line, l.loses])).toEqual([[9, "some-rows"], [10, "rows"], [12, "rows"]]);

        const offline = await sluice(dir, ["downgrade", "-1", "--sql"]);
        expect(offline.code, offline.stderr).toBe(0);
        const header = offline.stdout.slice(0, offline.stdout.indexOf("-- downgrade 003"));
        expect(header).toMatch(/^-- WARNING: this downgrade loses data:/);
        expect(header).toContain("deletes from products, which holds rows; some may be deleted");
        expect(header).toContain("truncates table log\\nDROP TABLE products; --, which holds rows");
        for (const line of header.split("\n")) expect(line === "" || line.startsWith("-- "), line).toBe(true);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["003"]);
        expect(await withDb(tdb.open, (db) => db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${evil}`).then((r) => r.rows[0].n))).toBe(1);
      } finally {
        await tdb.drop();
      }
    });

    it("the library refuses with the losses listed, and asks confirmDataLoss when it is given", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, { "001_create_products.sql": M001, "002_add_notes.ts": M002 });
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        await withDb(tdb.open, (db) => db.exec("INSERT INTO products VALUES (1, 'a', 'keep me')"));
        await expect(downgrade({ cwd: dir, target: "-1" })).rejects.toMatchObject({ code: "data-loss", exitCode: 2, details: { losses: [expect.objectContaining({ column: "notes" })] } });
        const asked: DataLoss[][] = [];
        await expect(downgrade({ cwd: dir, target: "-1", confirmDataLoss: async (l) => (asked.push([...l]), false) })).rejects.toMatchObject({ code: "data-loss" });
        expect(await withDb(tdb.open, notes)).toEqual(["keep me"]);
        const r = await downgrade({ cwd: dir, target: "-1", confirmDataLoss: async (l) => (asked.push([...l]), true) });
        expect(r.to).toEqual(["001"]);
        expect(asked.map((l) => l.map((x) => x.column))).toEqual([["notes"], ["notes"]]);
        writeMigration(dir, "002_add_notes.ts", M002);
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        await withDb(tdb.open, (db) => db.exec("UPDATE products SET notes = 'again'"));
        expect((await downgrade({ cwd: dir, target: "-1", allowDataLoss: true })).dataLoss).toHaveLength(1);
      } finally {
        await tdb.drop();
      }
    });
  });
}
