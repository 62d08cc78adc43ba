import { describe, expect, it } from "vitest";
import { targets } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";

/** Each migration also counts its own runs, so a double apply is visible in the data. */
function chain(n: number): Record<string, string> {
  const files: Record<string, string> = {
    "001_runs.sql": sqlMigration("001", null, "runs", "CREATE TABLE runs (revision text NOT NULL);\nINSERT INTO runs VALUES ('001');", "DROP TABLE runs;"),
  };
  for (let i = 2; i <= n; i++) {
    const rev = String(i).padStart(3, "0");
    const prev = String(i - 1).padStart(3, "0");
    files[`${rev}_t${rev}.sql`] = sqlMigration(rev, prev, `t${rev}`, `CREATE TABLE t${rev} (id int PRIMARY KEY);\nINSERT INTO runs VALUES ('${rev}');`, `DROP TABLE t${rev};`);
  }
  return files;
}

for (const t of targets) {
  const processes = t.name === "postgres" ? 20 : 5;
  describe(`concurrent runs on ${t.name}`, () => {
    it(`${processes} processes running upgrade head at once apply each migration exactly once and all exit 0`, async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, chain(6));
        const results = await Promise.all(Array.from({ length: processes }, () => sluice(dir, ["upgrade", "head", "--json"])));
        for (const r of results) expect(r.code, r.stderr).toBe(0);
        const applied = results.flatMap((r) => r.json.steps.map((s: { revision: string }) => s.revision)).sort();
        expect(applied).toEqual(["001", "002", "003", "004", "005", "006"]);
        const db = await tdb.open();
        try {
          const runs = await db.query<{ revision: string; n: string }>("SELECT revision, count(*)::text AS n FROM runs GROUP BY 1 ORDER BY 1");
          expect(runs.rows.map((r) => `${r.revision}:${r.n}`)).toEqual(["001:1", "002:1", "003:1", "004:1", "005:1", "006:1"]);
        } finally {
          await db.close();
        }
      } finally {
        await tdb.drop();
      }
    }, 300_000);
  });
}
