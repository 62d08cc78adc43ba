import pg from "pg";
import { describe, expect, it } from "vitest";
import { targets, type TestDatabase } from "../support/databases.js";
import { sluice, startSluice } from "../support/cli.js";
import { makeProject, sqlMigration, writeMigration } from "../support/project.js";
import { MIGRATION_LOCK_KEY } from "../../src/commands/context.js";

/** How many random stop points the fault tests try; more with SLUICE_FAULT_RUNS. */
const FAULT_RUNS = Number(process.env.SLUICE_FAULT_RUNS ?? 2);

const server = targets.find((t) => t.name === "postgres");

/** 001 a table, 002 a long sleep, 003 another table. */
function sleeperChain(): Record<string, string> {
  return {
    "001_a.sql": sqlMigration("001", null, "a", "CREATE TABLE a (id int);", "DROP TABLE a;"),
    "002_slow.sql": sqlMigration("002", "001", "slow", "CREATE TABLE slow (id int);\nSELECT pg_sleep(120);", "DROP TABLE slow;"),
    "003_c.sql": sqlMigration("003", "002", "c", "CREATE TABLE c (id int);", "DROP TABLE c;"),
  };
}

/** Each migration creates its table and counts its run, so a double or partial apply shows. */
function countingChain(n: number, work: string): Record<string, string> {
  const files: Record<string, string> = {
    "001_runs.sql": sqlMigration("001", null, "runs", "CREATE TABLE runs (revision text NOT NULL);\nINSERT INTO runs VALUES ('001');", "DROP TABLE runs;"),
  };
  for (let i = 2; i <= n; i++) {
    const rev = String(i).padStart(3, "0");
    const prev = String(i - 1).padStart(3, "0");
    files[`${rev}_t${rev}.sql`] = sqlMigration(rev, prev, `t${rev}`, `CREATE TABLE t${rev} (id int);\n${work}\nINSERT INTO runs VALUES ('${rev}');`, `DROP TABLE t${rev};`);
  }
  return files;
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Polls `probe` until it returns true, for at most `ms`. */
async function eventually(probe: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Backends of the test database other than the asking one, with what they run. */
async function otherBackends(c: pg.Client): Promise<{ pid: number; query: string; wait_event: string | null }[]> {
  const r = await c.query("SELECT pid, query, wait_event FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
  return r.rows;
}

/** The recorded revisions, and whether each migration's table exists exactly when it is recorded and ran once. */
async function consistentState(tdb: TestDatabase, n: number): Promise<{ applied: string[]; problems: string[] }> {
  const db = await tdb.open();
  try {
    const has = await db.query<{ t: string | null }>("SELECT to_regclass('public.sluice_version')::text AS t");
    const applied = has.rows[0].t ? (await db.query<{ revision: string }>("SELECT revision FROM public.sluice_version ORDER BY revision")).rows.map((r) => r.revision) : [];
    const tables = new Set((await db.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.name));
    const runs = tables.has("runs") ? (await db.query<{ revision: string; n: string }>("SELECT revision, count(*)::text AS n FROM runs GROUP BY 1")).rows : [];
    const problems: string[] = [];
    for (let i = 1; i <= n; i++) {
      const rev = String(i).padStart(3, "0");
      const table = i === 1 ? "runs" : `t${rev}`;
      const recorded = applied.includes(rev);
      if (recorded !== tables.has(table)) problems.push(`${rev}: recorded ${recorded}, table ${tables.has(table)}`);
      const count = Number(runs.find((r) => r.revision === rev)?.n ?? 0);
      if (count !== (recorded ? 1 : 0)) problems.push(`${rev}: ran ${count} time(s), recorded ${recorded}`);
    }
    if (applied.join() !== applied.slice().sort().join()) problems.push(`applied out of order: ${applied}`);
    return { applied, problems };
  } finally {
    await db.close();
  }
}

describe.skipIf(!server)("stopping a run on the server", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`${signal} during a long migration cancels it on the server, rolls it back, releases the lock and exits ${code}`, async () => {
      const tdb = await server!.create();
      try {
        const dir = makeProject(tdb.url, sleeperChain());
        const run = startSluice(dir, ["upgrade", "head", "--json"]);
        await withAdmin(tdb.url, async (admin) => {
          const sleeping = await eventually(async () => (await otherBackends(admin)).some((b) => b.query.includes("pg_sleep(120)")), 60_000);
          expect(sleeping).toBe(true);
          run.child.kill(signal);
          const r = await run.done;
          expect(r.code, r.stderr).toBe(code);
          expect(r.stderr).toContain(`Interrupted (${signal}): applied 001; rolled back 002 (it was running; its transaction was rolled back); not started: 003.`);
          expect(r.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["001"]);
          expect(r.json.interrupted).toEqual(expect.objectContaining({ reason: signal, rolledBack: ["002"], notStarted: ["003"] }));
          // The backend stopped: nothing of the run is left on the server.
          expect(await eventually(async () => (await otherBackends(admin)).length === 0, 10_000)).toBe(true);
          const versions = await admin.query("SELECT revision FROM public.sluice_version ORDER BY 1");
          expect(versions.rows.map((v) => v.revision)).toEqual(["001"]);
          expect((await admin.query("SELECT to_regclass('public.slow') AS t")).rows[0].t).toBeNull();
          const lock = await admin.query("SELECT pg_try_advisory_lock($1::bigint) AS ok", [MIGRATION_LOCK_KEY.toString()]);
          expect(lock.rows[0].ok).toBe(true);
          await admin.query("SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY.toString()]);
        });
        // Another run goes ahead at once.
        writeMigration(dir, "002_slow.sql", sqlMigration("002", "001", "slow", "CREATE TABLE slow (id int);", "DROP TABLE slow;"));
        const again = await sluice(dir, ["upgrade", "head", "--json"]);
        expect(again.code, again.stderr).toBe(0);
        expect(again.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["002", "003"]);
      } finally {
        await tdb.drop();
      }
    }, 120_000);
  }

  it("SIGINT while waiting for another run's migration lock gives the wait up on the server, and nothing is applied later", async () => {
    const tdb = await server!.create();
    try {
      const dir = makeProject(tdb.url, sleeperChain());
      const holder = new pg.Client({ connectionString: tdb.url });
      await holder.connect();
      try {
        await holder.query("SELECT pg_advisory_lock($1::bigint)", [MIGRATION_LOCK_KEY.toString()]);
        const run = startSluice(dir, ["upgrade", "001", "--json"]);
        await run.waitForStderr(/Waiting for another sluice run to release the migration lock/);
        await withAdmin(tdb.url, async (admin) => {
          const waiting = async () => (await otherBackends(admin)).some((b) => b.wait_event === "advisory");
          expect(await eventually(waiting)).toBe(true);
          run.child.kill("SIGINT");
          const r = await run.done;
          expect(r.code, r.stderr).toBe(130);
          expect(r.stderr).toContain("Interrupted (SIGINT): stopped while waiting for another sluice run's migration lock; nothing was applied.");
          expect(r.json.steps).toEqual([]);
          expect(await eventually(async () => !(await waiting()))).toBe(true);
          await holder.query("SELECT pg_advisory_unlock($1::bigint)", [MIGRATION_LOCK_KEY.toString()]);
          // Had the wait stayed on the server, its backend would now take the lock and apply 001.
          await new Promise((res) => setTimeout(res, 1500));
          expect((await admin.query("SELECT to_regclass('public.sluice_version') AS t")).rows[0].t).toBeNull();
          expect((await admin.query("SELECT to_regclass('public.a') AS t")).rows[0].t).toBeNull();
        });
      } finally {
        await holder.end();
      }
    } finally {
      await tdb.drop();
    }
  }, 120_000);

  it(`kill -9 at random points of a run sent in one round trip leaves whole migrations, recorded, and the backend stops (${FAULT_RUNS} runs)`, async () => {
    const n = 30;
    for (let run = 0; run < FAULT_RUNS; run++) {
      const tdb = await server!.create();
      try {
        const dir = makeProject(tdb.url, countingChain(n, "SELECT pg_sleep(0.1);"));
        const started = startSluice(dir, ["upgrade", "head"]);
        await started.waitForStderr(/Upgrading 001 to 030/);
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 1500));
        started.child.kill("SIGKILL");
        await started.done;
        await withAdmin(tdb.url, async (admin) => {
          // The backend notices its client is gone (client_connection_check_interval) and stops the script.
          expect(await eventually(async () => (await otherBackends(admin)).length === 0, 10_000)).toBe(true);
        });
        const after = await consistentState(tdb, n);
        expect(after.problems).toEqual([]);
        expect(after.applied.length).toBeLessThan(n);
        const finish = await sluice(dir, ["upgrade", "head"]);
        expect(finish.code, finish.stderr).toBe(0);
        const done = await consistentState(tdb, n);
        expect(done.problems).toEqual([]);
        expect(done.applied.length).toBe(n);
      } finally {
        await tdb.drop();
      }
    }
  }, 300_000);
});

for (const t of targets) {
  describe(`SIGINT at random points on ${t.name}`, () => {
    it(`stops between migrations, leaves the state matching the schema, and the next run finishes (${FAULT_RUNS} runs)`, async () => {
      const n = 20;
      for (let run = 0; run < FAULT_RUNS; run++) {
        const tdb = await t.create();
        try {
          const dir = makeProject(tdb.url, countingChain(n, "SELECT pg_sleep(0.2);"));
          const started = startSluice(dir, ["upgrade", "head", "--json"]);
          // Embedded PGlite runs one migration per call; a server gets them in one round trip.
          await started.waitForStderr(t.name === "pglite" ? /Upgrading 003/ : /Upgrading 001 to 020/);
          await new Promise((r) => setTimeout(r, Math.random() * 1500));
          started.child.kill("SIGINT");
          const r = await started.done;
          expect(r.code, r.stderr).toBe(130);
          expect(r.json.interrupted.message).toMatch(/^Interrupted \(SIGINT\): /);
          const after = await consistentState(tdb, n);
          expect(after.problems).toEqual([]);
          expect(after.applied).toEqual(r.json.steps.map((s: { revision: string }) => s.revision));
          expect(after.applied.length).toBeLessThan(n);
          // The database opens again (embedded: its directory was closed cleanly) and the run finishes.
          const finish = await sluice(dir, ["upgrade", "head"]);
          expect(finish.code, finish.stderr).toBe(0);
          const done = await consistentState(tdb, n);
          expect(done.problems).toEqual([]);
          expect(done.applied.length).toBe(n);
        } finally {
          await tdb.drop();
        }
      }
    }, 300_000);
  });
}
