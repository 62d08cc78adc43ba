import { describe, expect, it } from "vitest";
import { targets } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";

const SLEEP_MS = 300;

/** Three migrations that each sleep, small enough to share one round trip. */
function sleepers(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= 3; i++) {
    const rev = String(i).padStart(3, "0");
    const down = i === 1 ? null : String(i - 1).padStart(3, "0");
    files[`${rev}_sleep.sql`] = sqlMigration(rev, down, `sleep ${i}`, `SELECT pg_sleep(${SLEEP_MS / 1000});`, `SELECT pg_sleep(${SLEEP_MS / 1000});`);
  }
  return files;
}

for (const t of targets) {
  describe(`migration timings on ${t.name}`, () => {
    it("migrations sent together each record their own execution_ms and applied_at", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, sleepers());
        const up = await sluice(dir, ["upgrade", "head", "--json"]);
        expect(up.code, up.stderr).toBe(0);
        // A server gets them in one script; embedded PGlite one per call (nothing to save there).
        if (t.name === "postgres") expect(up.stderr).toMatch(/001 to 003 \(3 migrations\), each in its own transaction/);
        const stepMs = up.json.steps.map((s: { ms: number }) => s.ms);
        const db = await tdb.open();
        let rows: { revision: string; applied_at: string; execution_ms: number }[];
        try {
          rows = (
            await db.query<{ revision: string; applied_at: string; execution_ms: number }>(
              "SELECT revision, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS.US') AS applied_at, execution_ms FROM public.sluice_version ORDER BY revision",
            )
          ).rows;
        } finally {
          await db.close();
        }
        expect(rows.map((r) => r.revision)).toEqual(["001", "002", "003"]);
        // Each applied_at is when that migration ended: distinct and increasing.
        expect(rows[0].applied_at < rows[1].applied_at && rows[1].applied_at < rows[2].applied_at, JSON.stringify(rows)).toBe(true);
        for (const ms of [...rows.map((r) => r.execution_ms), ...stepMs]) expect(ms).toBeGreaterThanOrEqual(SLEEP_MS);
        // Not cumulative: measured from the round trip's start the third would be at least three sleeps.
        expect(rows[2].execution_ms).toBeLessThan(3 * SLEEP_MS);
        expect(stepMs[2]).toBeLessThan(3 * SLEEP_MS);

        const down = await sluice(dir, ["downgrade", "base", "--json"]);
        expect(down.code, down.stderr).toBe(0);
        const downMs = down.json.steps.map((s: { ms: number }) => s.ms);
        for (const ms of downMs) expect(ms).toBeGreaterThanOrEqual(SLEEP_MS);
        expect(downMs[2]).toBeLessThan(3 * SLEEP_MS);
      } finally {
        await tdb.drop();
      }
    });
  });
}
