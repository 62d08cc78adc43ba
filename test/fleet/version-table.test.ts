import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { targets } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";

const files = {
  "001_users.sql": sqlMigration("001", null, "users", "CREATE TABLE users (id int PRIMARY KEY);", "DROP TABLE users;"),
  "002_orders.sql": sqlMigration("002", "001", "orders", "CREATE TABLE orders (id int PRIMARY KEY);", "DROP TABLE orders;"),
};

/** The project's config with `versionTable` set. */
function withVersionTable(dir: string, table: string): void {
  const file = path.join(dir, "sluice.config.ts");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("migrations:", `versionTable: ${JSON.stringify(table)},\n  migrations:`));
}

for (const t of targets) {
  describe(`versionTable on ${t.name}`, () => {
    it("every run reads and writes app.sluice_version, and public holds no version table", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, files);
        withVersionTable(dir, "app.sluice_version");
        const up = await sluice(dir, ["upgrade", "head", "--json"]);
        expect(up.code, up.stderr).toBe(0);
        const cur = await sluice(dir, ["current", "--json"]);
        expect(cur.code, cur.stderr).toBe(0);
        expect(cur.json.current).toEqual(["002"]);
        const history = await sluice(dir, ["history", "--json"]);
        expect(history.code, history.stderr).toBe(0);
        expect(JSON.stringify(history.json)).toContain("002");
        const stamped = await sluice(dir, ["stamp", "001", "--json"]);
        expect(stamped.code, stamped.stderr).toBe(0);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);
        expect((await sluice(dir, ["stamp", "head"])).code).toBe(0);
        const down = await sluice(dir, ["downgrade", "base", "--json", "--yes"]);
        expect(down.code, down.stderr).toBe(0);
        expect(down.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["002", "001"]);
        const up2 = await sluice(dir, ["upgrade", "head", "--json"]);
        expect(up2.code, up2.stderr).toBe(0);
        const db = await tdb.open();
        try {
          const tables = await db.query<{ t: string | null }>("SELECT to_regclass('app.sluice_version')::text AS t UNION ALL SELECT to_regclass('public.sluice_version')::text");
          expect(tables.rows.map((r) => r.t)).toEqual(["app.sluice_version", null]);
          const rows = await db.query<{ revision: string }>("SELECT revision FROM app.sluice_version ORDER BY 1");
          expect(rows.rows.map((r) => r.revision)).toEqual(["001", "002"]);
        } finally {
          await db.close();
        }
        // Introspection leaves the configured table out, as it does the default one.
        const described = await sluice(dir, ["describe", "--json"]);
        expect(described.code, described.stderr).toBe(0);
        expect(described.stdout).not.toContain("sluice_version");
      } finally {
        await tdb.drop();
      }
    }, 120_000);
  });
}

describe("versionTable in the config", () => {
  it("a malformed versionTable is refused naming the key, exit 2", async () => {
    const dir = makeProject("pglite:memory", files);
    withVersionTable(dir, "app.sluice version");
    const r = await sluice(dir, ["current"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("`versionTable`");
    expect(r.stderr).toContain("app.sluice_version");
  }, 60_000);
});
