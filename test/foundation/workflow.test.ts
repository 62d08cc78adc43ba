import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { targets, tempDir, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration, writeMigration } from "../support/project.js";

/** The seed's Common Patterns, in three migrations: one .sql and two .ts. */
const M001 = sqlMigration(
  "001", null, "create products and media assets",
  `CREATE TYPE mediaassettype AS ENUM ('image', 'video');
CREATE TABLE parents (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  existing_field text
);
CREATE TABLE media_assets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), kind mediaassettype NOT NULL);
INSERT INTO products (name, existing_field) VALUES ('a', 'one'), ('b', 'two');`,
  `DROP TABLE media_assets;
DROP TABLE products;
DROP TABLE parents;
DROP TYPE mediaassettype;`,
);
const M002 = tsMigration(
  "002", "001", "add product columns",
  `    op.addColumn("products", { name: "new_field", type: "varchar(200)", nullable: true });
    op.addColumn("products", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
    op.addColumn("products", { name: "data", type: "jsonb", nullable: true });
    op.addColumn("products", { name: "parent_id", type: "uuid", nullable: true, references: { table: "parents", column: "id", onDelete: "CASCADE" } });
    op.execute("UPDATE products SET new_field = existing_field WHERE new_field IS NULL");`,
  `    op.dropColumn("products", "parent_id");
    op.dropColumn("products", "data");
    op.dropColumn("products", "is_active");
    op.dropColumn("products", "new_field");`,
);
const M003 = tsMigration(
  "003", "002", "pim id and usd master",
  `    op.addColumn("products", { name: "pim_id", type: "varchar(64)", nullable: true });
    op.createIndex("uq_products_pim_id", "products", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });
    op.execute("ALTER TYPE mediaassettype ADD VALUE IF NOT EXISTS 'usd_master'");`,
  `    op.dropIndex("uq_products_pim_id");
    op.dropColumn("products", "pim_id");`,
);

for (const t of targets) {
  describe(`the workflow on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    it("init, three hand-written migrations, upgrade, current, history, downgrade -1 and to base, upgrade again", async () => {
      const dir = tempDir("init");
      const init = await sluice(dir, ["init", "--json"]);
      expect(init.code).toBe(0);
      expect(fs.existsSync(path.join(dir, "sluice.config.ts"))).toBe(true);
      expect((await sluice(dir, ["init"])).code).toBe(2);

      const url = ["--url", tdb.url];
      const rev = await sluice(dir, ["revision", "-m", "create products and media assets", "--sql", "--json"]);
      expect(rev.json).toMatchObject({ revision: "001", downRevision: null, file: "migrations/001_create_products_and_media_assets.sql" });
      fs.writeFileSync(rev.json.path, M001);
      const rev2 = await sluice(dir, ["revision", "-m", "add product columns", "--json"]);
      expect(rev2.json).toMatchObject({ revision: "002", downRevision: "001" });
      fs.writeFileSync(rev2.json.path, M002);
      writeMigration(dir, "003_pim_id_and_usd_master.ts", M003);

      const before = await sluice(dir, ["current", "--json", ...url]);
      expect(before.code).toBe(0);
      expect(before.json).toMatchObject({ current: [], head: "003", next: "004", pending: ["001", "002", "003"] });

      const up = await sluice(dir, ["upgrade", "--json", ...url]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["001", "002", "003"]);

      const cur = await sluice(dir, ["current", "--json", ...url]);
      expect(cur.json).toMatchObject({ current: ["003"], head: "003", next: "004", pending: [] });

      const hist = await sluice(dir, ["history", "--verbose", "--json", ...url]);
      expect(hist.json.revisions.map((r: { revision: string; applied: boolean }) => [r.revision, r.applied])).toEqual([["003", true], ["002", true], ["001", true]]);
      const text = await sluice(dir, ["history", "--verbose", ...url]);
      expect(text.stdout).toMatch(/002 -> 003 \(head\)\s+pim id and usd master\s+\[applied\]/);

      const back1 = await sluice(dir, ["downgrade", "-1", "--json", ...url]);
      expect(back1.code, back1.stderr).toBe(0);
      expect(back1.json).toMatchObject({ from: ["003"], to: ["002"] });
      expect((await sluice(dir, ["current", "--json", ...url])).json.pending).toEqual(["003"]);

      // Down to base drops products with its rows: that takes --yes.
      const base = await sluice(dir, ["downgrade", "base", "--yes", "--json", ...url]);
      expect(base.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["002", "001"]);
      expect((await sluice(dir, ["current", "--json", ...url])).json.current).toEqual([]);

      const again = await sluice(dir, ["upgrade", "head", ...url]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("The database is now at 003 (was base)");

      // The backfill ran, the enum value exists, the partial unique index holds.
      const db = await tdb.open();
      try {
        const rows = (await db.query<{ new_field: string }>("SELECT new_field FROM products ORDER BY name")).rows;
        expect(rows.map((r) => r.new_field)).toEqual(["one", "two"]);
        const labels = (await db.query<{ v: string }>("SELECT unnest(enum_range(NULL::mediaassettype))::text AS v")).rows.map((r) => r.v);
        expect(labels).toEqual(["image", "video", "usd_master"]);
        await db.exec("UPDATE products SET pim_id = NULL");
        await expect(db.exec("UPDATE products SET pim_id = 'same'")).rejects.toThrow(/uq_products_pim_id/);
      } finally {
        await db.close();
      }
    });

    it("--sql prints the SQL, version-table writes included, and touches nothing", async () => {
      const fresh = await t.create();
      try {
        const dir = makeProject(fresh.url, { "001_a.sql": M001, "002_b.ts": M002 });
        const off = await sluice(dir, ["upgrade", "--sql"]);
        expect(off.code, off.stderr).toBe(0);
        expect(off.stdout).toContain("CREATE TABLE IF NOT EXISTS public.sluice_version");
        expect(off.stdout).toContain("ALTER TABLE products ADD COLUMN is_active boolean DEFAULT true NOT NULL;");
        expect(off.stdout).toMatch(/INSERT INTO public\.sluice_version .*'002'/);
        const db = await fresh.open();
        try {
          const r = await db.query<{ t: string | null }>("SELECT to_regclass('public.sluice_version')::text AS t, to_regclass('public.products')::text AS p");
          expect(r.rows[0]).toEqual({ t: null, p: null });
        } finally {
          await db.close();
        }
      } finally {
        await fresh.drop();
      }
    });

    it("a failing migration in the middle of a chain leaves its changes and the version table as they were", async () => {
      const fresh = await t.create();
      try {
        const bad = sqlMigration("002", "001", "bad", "ALTER TABLE products ADD COLUMN ok_col int;\n\nALTER TABLE products ADD COLUMN broken int REFERENCES nowhere(id);", "SELECT 1;");
        const dir = makeProject(fresh.url, { "001_a.sql": M001, "002_bad.sql": bad, "003_c.ts": M003 });
        const r = await sluice(dir, ["upgrade", "--json"]);
        expect(r.code).toBe(3);
        expect(r.json).toMatchObject({ error: "migration-failed", revision: "002", file: "migrations/002_bad.sql", line: 7, pgCode: "42P01", completed: ["001"] });
        expect(r.stderr).toContain("migrations/002_bad.sql:7");
        expect(r.stderr).toContain('relation "nowhere" does not exist');
        const cur = await sluice(dir, ["current", "--json"]);
        expect(cur.json).toMatchObject({ current: ["001"], pending: ["002", "003"] });
        const db = await fresh.open();
        try {
          const cols = await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'products' AND column_name = 'ok_col'");
          expect(cols.rows).toHaveLength(0);
        } finally {
          await db.close();
        }
      } finally {
        await fresh.drop();
      }
    });

    it("a migration runs as one script, yet a failure names the statement PostgreSQL rejected", async () => {
      const fresh = await t.create();
      try {
        // A position inside the script: the .sql file's line and column.
        const badSql = sqlMigration("002", "001", "bad column", "ALTER TABLE products ADD COLUMN ok_col int;\nUPDATE products\n   SET ok_col = no_such_col WHERE name = 'a';", "SELECT 1;");
        const dir = makeProject(fresh.url, { "001_a.sql": M001, "002_bad.sql": badSql });
        const r = await sluice(dir, ["upgrade", "--json"]);
        expect(r.code).toBe(3);
        expect(r.json).toMatchObject({ revision: "002", line: 7, column: 17, pgCode: "42703", completed: ["001"] });
        // No position: the op of the .ts file, found by running the statements again and rolled back.
        const badTs = tsMigration("002", "001", "duplicate column",
          `    op.addColumn("products", { name: "ok_col", type: "int", nullable: true });\n    op.addColumn("products", { name: "name", type: "text", nullable: true });`,
          `    op.dropColumn("products", "ok_col");`);
        fs.rmSync(path.join(dir, "migrations", "002_bad.sql"));
        writeMigration(dir, "002_dup.ts", badTs);
        const r2 = await sluice(dir, ["upgrade", "--json"]);
        expect(r2.code).toBe(3);
        expect(r2.json).toMatchObject({ revision: "002", pgCode: "42701" });
        expect(r2.stderr).toContain("upgrade() op #2 (addColumn)");
        const db = await fresh.open();
        try {
          expect((await db.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'ok_col'")).rows).toHaveLength(0);
          const rows = await db.query<{ revision: string; execution_ms: number | null }>("SELECT revision, execution_ms FROM sluice_version");
          expect(rows.rows).toEqual([{ revision: "001", execution_ms: expect.any(Number) }]);
        } finally {
          await db.close();
        }
      } finally {
        await fresh.drop();
      }
    });

    it("migrations sent together in one round trip still commit one by one: a failure further on keeps the ones before it, in both directions", async () => {
      const fresh = await t.create();
      try {
        const table = (rev: string, down: string | null) =>
          sqlMigration(rev, down, `table ${rev}`, `CREATE TABLE t${rev} (id int PRIMARY KEY);\nSELECT count(*) AS rows_now FROM t${rev};`, `DROP TABLE t${rev};`);
        // 003 fails with no position in the script (a duplicate column), so which migration failed is read back from the version table.
        const bad = tsMigration("003", "002", "duplicate column",
          `    op.addColumn("t002", { name: "extra", type: "int", nullable: true });\n    op.addColumn("t002", { name: "id", type: "int", nullable: true });`,
          `    op.dropColumn("t002", "extra");`);
        const dir = makeProject(fresh.url, { "001_a.sql": table("001", null), "002_b.sql": table("002", "001"), "003_bad.ts": bad, "004_d.sql": table("004", "003") });
        const r = await sluice(dir, ["upgrade", "--json"]);
        expect(r.code).toBe(3);
        expect(r.json).toMatchObject({ error: "migration-failed", revision: "003", pgCode: "42701", completed: ["001", "002"] });
        expect(r.stderr).toContain("upgrade() op #2 (addColumn)");
        expect((await sluice(dir, ["current", "--json"])).json).toMatchObject({ current: ["002"], pending: ["003", "004"] });

        // Fixed, the whole chain goes in one round trip; a SELECT in a migration does not disturb the times read back.
        writeMigration(dir, "003_bad.ts", tsMigration("003", "002", "extra column", `    op.addColumn("t002", { name: "extra", type: "int", nullable: true });`, `    op.dropColumn("t002", "extra");`));
        const ok = await sluice(dir, ["upgrade", "--json"]);
        expect(ok.code).toBe(0);
        expect(ok.json.steps).toEqual(["003", "004"].map((revision) => expect.objectContaining({ revision, ms: expect.any(Number) })));

        // Downgrading to base: 003's downgrade fails (its column is gone), after 004's committed.
        const db = await fresh.open();
        try {
          await db.exec("ALTER TABLE t002 DROP COLUMN extra");
        } finally {
          await db.close();
        }
        const down = await sluice(dir, ["downgrade", "base", "--json"]);
        expect(down.code).toBe(3);
        expect(down.json).toMatchObject({ revision: "003", direction: "downgrade", pgCode: "42703", completed: ["004"] });
        expect((await sluice(dir, ["current", "--json"])).json).toMatchObject({ current: ["003"] });
        const check = await fresh.open();
        try {
          const tables = await check.query<{ relname: string }>("SELECT relname FROM pg_class WHERE relname IN ('t001', 't002', 't004') ORDER BY 1");
          expect(tables.rows.map((x) => x.relname)).toEqual(["t001", "t002"]);
        } finally {
          await check.close();
        }
      } finally {
        await fresh.drop();
      }
    });

    it("a migration that fails only at COMMIT (a deferred constraint) is named, and the ones before it stay applied", async () => {
      const fresh = await t.create();
      try {
        const dir = makeProject(fresh.url, {
          "001_a.sql": sqlMigration("001", null, "a", "CREATE TABLE p (id bigint PRIMARY KEY);\nCREATE TABLE c (pid bigint REFERENCES p (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);", "DROP TABLE c;\nDROP TABLE p;"),
          "002_b.sql": sqlMigration("002", "001", "b", "INSERT INTO c VALUES (42);", "DELETE FROM c WHERE pid = 42;"),
          "003_c.sql": sqlMigration("003", "002", "c", "CREATE TABLE z (id bigint);", "DROP TABLE z;"),
        });
        const r = await sluice(dir, ["upgrade", "--no-check", "--json"]);
        expect(r.code).toBe(3);
        expect(r.json).toMatchObject({ error: "migration-failed", revision: "002", pgCode: "23503", completed: ["001"] });
        expect(r.json.hint).toContain("at COMMIT");
        expect((await sluice(dir, ["current", "--json"])).json).toMatchObject({ current: ["001"], pending: ["002", "003"] });
        // In one transaction, the whole rest of the run goes with it.
        const one = await sluice(dir, ["upgrade", "--no-check", "--single-transaction", "--json"]);
        expect(one.code).toBe(3);
        expect(one.json).toMatchObject({ error: "migration-failed", revisions: ["002", "003"], pgCode: "23503", completed: [] });
        expect(one.json.message).toContain("failed at COMMIT");
        expect((await sluice(dir, ["current", "--json"])).json).toMatchObject({ current: ["001"], pending: ["002", "003"] });
      } finally {
        await fresh.drop();
      }
    });

    it("--single-transaction: the migrations of a run all apply or none does, --sql shows one transaction, a non-transactional one is refused", async () => {
      const fresh = await t.create();
      try {
        const table = (rev: string, down: string | null) => sqlMigration(rev, down, `table ${rev}`, `CREATE TABLE t${rev} (id bigint PRIMARY KEY);`, `DROP TABLE t${rev};`);
        const duplicate = sqlMigration("003", "002", "bad", "CREATE TABLE t003 (id bigint PRIMARY KEY);\nINSERT INTO t003 VALUES (1), (1);", "DROP TABLE t003;");
        const dir = makeProject(fresh.url, { "001_a.sql": table("001", null), "002_b.sql": table("002", "001"), "003_c.sql": duplicate });
        const r = await sluice(dir, ["upgrade", "--single-transaction", "--no-check", "--json"]);
        expect(r.code).toBe(3);
        expect(r.json).toMatchObject({ error: "migration-failed", revision: "003", file: "migrations/003_c.sql", line: 6, pgCode: "23505", completed: [] });
        expect(r.json.hint).toContain("Nothing of this run was applied");
        expect((await sluice(dir, ["current", "--json"])).json).toMatchObject({ current: [], pending: ["001", "002", "003"] });

        writeMigration(dir, "003_c.sql", table("003", "002"));
        const offline = await sluice(dir, ["upgrade", "--single-transaction", "--sql"]);
        expect(offline.code).toBe(0);
        expect(offline.stdout.match(/^BEGIN;$/gm)).toHaveLength(1);
        expect(offline.stdout.match(/^COMMIT;$/gm)).toHaveLength(1);
        const up = await sluice(dir, ["upgrade", "--single-transaction", "--json"]);
        expect(up.code, up.stderr).toBe(0);
        expect(up.json.steps).toEqual(["001", "002", "003"].map((revision) => expect.objectContaining({ revision, ms: expect.any(Number) })));
        const db = await fresh.open();
        try {
          const rows = await db.query<{ execution_ms: number | null }>("SELECT execution_ms FROM sluice_version ORDER BY revision");
          expect(rows.rows.map((x) => typeof x.execution_ms)).toEqual(["number", "number", "number"]);
        } finally {
          await db.close();
        }
        const down = await sluice(dir, ["downgrade", "base", "--single-transaction", "--json"]);
        expect(down.code, down.stderr).toBe(0);
        expect(down.json.steps.map((x: { revision: string }) => x.revision)).toEqual(["003", "002", "001"]);

        writeMigration(dir, "004_d.sql", sqlMigration("004", "003", "index", "CREATE INDEX CONCURRENTLY ix_t003 ON t003 (id);", "DROP INDEX CONCURRENTLY ix_t003;", "-- sluice:transactional false\n"));
        const refused = await sluice(dir, ["upgrade", "--single-transaction"]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain("migrations/004_d.sql must run outside one");
        expect((await sluice(dir, ["current", "--json"])).json).toMatchObject({ current: [] });
      } finally {
        await fresh.drop();
      }
    });

    it.runIf(t.name === "postgres")("a connection lost in the middle of a round trip is reported as such, and what committed stays", async () => {
      const fresh = await t.create();
      try {
        const dir = makeProject(fresh.url, {
          "001_a.sql": sqlMigration("001", null, "a", "CREATE TABLE kept (id int);", "DROP TABLE kept;"),
          "002_b.sql": sqlMigration("002", "001", "b", "CREATE TABLE lost (id int);\nSELECT pg_terminate_backend(pg_backend_pid());", "DROP TABLE lost;"),
        });
        const r = await sluice(dir, ["upgrade", "--json"]);
        expect(r.code).toBe(3);
        expect(r.json).toMatchObject({ error: "migration-failed", revisions: ["001", "002"], pgCode: "57P01" });
        expect(r.stderr).toContain("sluice current");
        const cur = await sluice(dir, ["current", "--json"]);
        expect(cur.json).toMatchObject({ current: ["001"], pending: ["002"] });
      } finally {
        await fresh.drop();
      }
    });

    it("a migration may import a shared module and use top-level await, from a fresh and from a cached compile", async () => {
      const fresh = await t.create();
      try {
        const withHelper = tsMigration("002", "001", "column from a shared module",
          `    op.addColumn("products", auditColumn);`, `    op.dropColumn("products", auditColumn.name);`)
          .replace('import { defineMigration } from "sluice";', 'import { defineMigration } from "sluice";\nimport { auditColumn } from "../lib/columns";');
        const withAwait = tsMigration("003", "002", "top-level await",
          `    op.addColumn("products", { name: suffix, type: "text", nullable: true });`, `    op.dropColumn("products", suffix);`)
          .replace('import { defineMigration } from "sluice";', 'import { defineMigration } from "sluice";\nconst suffix: string = await Promise.resolve("awaited_col");');
        const dir = makeProject(fresh.url, { "001_a.sql": M001, "002_helper.ts": withHelper, "003_await.ts": withAwait });
        fs.mkdirSync(path.join(dir, "lib"));
        fs.writeFileSync(path.join(dir, "lib", "columns.ts"), 'export const auditColumn = { name: "audited_at", type: "timestamptz", nullable: true } as const;\n');
        for (const run of ["fresh", "cached"]) {
          const up = await sluice(dir, ["upgrade", "--json"]);
          expect(up.code, `${run}: ${up.stderr}`).toBe(0);
          expect(up.json.to).toEqual(["003"]);
          const db = await fresh.open();
          try {
            const cols = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'products' AND column_name IN ('audited_at', 'awaited_col') ORDER BY 1");
            expect(cols.rows.map((r) => r.column_name)).toEqual(["audited_at", "awaited_col"]);
          } finally {
            await db.close();
          }
          expect((await sluice(dir, ["downgrade", "001"])).code).toBe(0);
        }
      } finally {
        await fresh.drop();
      }
    });

    it("a non-transactional migration runs CREATE INDEX CONCURRENTLY statement by statement", async () => {
      const fresh = await t.create();
      try {
        const conc = sqlMigration("002", "001", "concurrent index",
          "CREATE INDEX CONCURRENTLY ix_products_name ON products (name);\nCREATE INDEX CONCURRENTLY ix_products_field ON products (existing_field);",
          "DROP INDEX CONCURRENTLY ix_products_field;\nDROP INDEX CONCURRENTLY ix_products_name;", "-- sluice:transactional false\n");
        const dir = makeProject(fresh.url, { "001_a.sql": M001, "002_conc.sql": conc });
        const r = await sluice(dir, ["upgrade"]);
        expect(r.code, r.stderr).toBe(0);
        const down = await sluice(dir, ["downgrade", "-1"]);
        expect(down.code, down.stderr).toBe(0);
        // Halfway failure: the first index stays, the error says so, nothing is recorded.
        writeMigration(dir, "002_conc.sql", conc.replace("ON products (existing_field)", "ON products (no_such_column)"));
        const fail = await sluice(dir, ["upgrade", "--json"]);
        expect(fail.code).toBe(3);
        expect(fail.stderr).toMatch(/outside a transaction; 1 statement\(s\) already ran/);
        expect(fail.json.statementsRun).toEqual(["CREATE INDEX CONCURRENTLY ix_products_name ON products (name)"]);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);
      } finally {
        await fresh.drop();
      }
    });

    it("stamp records a revision without running it, and a changed file is warned about and refused under --strict", async () => {
      const fresh = await t.create();
      try {
        const dir = makeProject(fresh.url, { "001_a.sql": M001, "002_b.ts": M002 });
        expect((await sluice(dir, ["upgrade", "001"])).code).toBe(0);
        const st = await sluice(dir, ["stamp", "002", "--json"]);
        expect(st.json).toMatchObject({ from: ["001"], to: ["002"] });
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["002"]);
        const db = await fresh.open();
        try {
          expect((await db.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'is_active'")).rows).toHaveLength(0);
        } finally {
          await db.close();
        }
        writeMigration(dir, "001_a.sql", M001.replace("name text NOT NULL", "name text NOT NULL, extra int"));
        const warn = await sluice(dir, ["current"]);
        expect(warn.code).toBe(0);
        expect(warn.stderr).toContain("migrations/001_a.sql (revision 001) changed after it was applied");
        const strict = await sluice(dir, ["upgrade", "--strict"]);
        expect(strict.code).toBe(2);
        expect((await sluice(dir, ["stamp", "base"])).code).toBe(0);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual([]);
      } finally {
        await fresh.drop();
      }
    });
  });
}
