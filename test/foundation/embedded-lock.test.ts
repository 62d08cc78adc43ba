import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { openDatabase, parseDatabaseUrl } from "../../src/db/index.js";
import { targets, tempDir } from "../support/databases.js";
import { sluice, startSluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";

// The embedded database's own lock, between processes; the server has advisory locks (concurrency.test.ts).
const pglite = targets.find((t) => t.name === "pglite")!;
const probe = pathToFileURL(path.join(import.meta.dirname, "..", "support", "loop-probe.mjs")).href;

/** 001 and 003 create a table; 002 holds its process in PGlite's synchronous WASM for `seconds`. Each counts its runs. */
function chain(seconds: number): Record<string, string> {
  return {
    "001_runs.sql": sqlMigration("001", null, "runs", "CREATE TABLE runs (revision text NOT NULL);\nINSERT INTO runs VALUES ('001');", "DROP TABLE runs;"),
    "002_slow.sql": sqlMigration("002", "001", "slow", `SELECT pg_sleep(${seconds});\nCREATE TABLE slow (id int);\nINSERT INTO runs VALUES ('002');`, "DROP TABLE slow;"),
    "003_last.sql": sqlMigration("003", "002", "last", "CREATE TABLE last (id int);\nINSERT INTO runs VALUES ('003');", "DROP TABLE last;"),
  };
}

/** The database is at 003 by `sluice current`, and each recorded migration ran once and left its table. */
async function expectConsistentAtHead(dir: string, url: string): Promise<void> {
  const current = await sluice(dir, ["current", "--json"]);
  expect(current.code, current.stderr).toBe(0);
  expect(current.json.current).toEqual(["003"]);
  const db = await openDatabase(parseDatabaseUrl(url, dir)!);
  try {
    const runs = await db.query<{ revision: string; n: number }>("SELECT revision, count(*)::int AS n FROM runs GROUP BY 1 ORDER BY 1");
    expect(runs.rows.map((r) => `${r.revision}:${r.n}`)).toEqual(["001:1", "002:1", "003:1"]);
    const tables = await db.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.rows.map((r) => r.t).sort()).toEqual(["last", "runs", "slow", "sluice_version"]);
  } finally {
    await db.close();
  }
}

function stepRevisions(json: { steps?: { revision: string }[] } | undefined): string[] {
  return (json?.steps ?? []).map((s) => s.revision);
}

describe("the embedded database's lock", () => {
  it("is not taken from a live holder whose event loop is blocked for 30 s: the second run waits, then finds nothing to do", async () => {
    const tdb = await pglite.create();
    try {
      const dir = makeProject(tdb.url, chain(30));
      const loopFile = path.join(dir, "loop-gap");
      const first = startSluice(dir, ["upgrade", "head", "--json"], { NODE_OPTIONS: `--import=${probe}`, SLUICE_TEST_LOOP_PROBE: loopFile });
      await first.waitForStderr(/Upgrading/);
      await new Promise((r) => setTimeout(r, 3_000));
      const second = startSluice(dir, ["upgrade", "head", "--json"]);
      const impatient = await sluice(dir, ["upgrade", "head", "--json", "--lock-timeout", "2"]);
      const [a, b] = await Promise.all([first.done, second.done]);

      expect(a.code, a.stderr).toBe(0);
      expect(stepRevisions(a.json)).toEqual(["001", "002", "003"]);
      // The condition of the defect: the holder's event loop ran no timer for most of the 30 s.
      expect(Number(fs.readFileSync(loopFile, "utf8"))).toBeGreaterThan(15_000);
      expect(b.code, b.stderr).toBe(0);
      expect(stepRevisions(b.json)).toEqual([]);
      expect(b.stderr).toContain(`Waiting for another sluice process (pid ${first.pid})`);
      expect(impatient.code, impatient.stderr).toBe(3);
      expect(impatient.stderr).toContain(`pid ${first.pid}`);
      await expectConsistentAtHead(dir, tdb.url);
    } finally {
      await tdb.drop();
    }
  }, 300_000);

  it("left by a process killed with kill -9 is taken over at once, saying the holder died", async () => {
    const tdb = await pglite.create();
    try {
      const dir = makeProject(tdb.url, chain(60));
      const first = startSluice(dir, ["upgrade", "head"]);
      await first.waitForStderr(/Upgrading/);
      await new Promise((r) => setTimeout(r, 1_000));
      first.child.kill("SIGKILL");
      await first.done;
      // The second run finishes the chain (the slow migration in a second as well).
      fs.writeFileSync(path.join(dir, "migrations", "002_slow.sql"), chain(1)["002_slow.sql"]);
      const second = await sluice(dir, ["upgrade", "head", "--json"]);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toContain(`died without releasing it (pid ${first.pid}`);
      expect(second.stderr).not.toContain("Waiting");
      expect(stepRevisions(second.json)).toContain("003");
      await expectConsistentAtHead(dir, tdb.url);
    } finally {
      await tdb.drop();
    }
  }, 300_000);

  it("taken on another host counts as held, and the timeout says which host; a record whose pid now runs another process is taken over", async () => {
    const tdb = await pglite.create();
    try {
      const dir = makeProject(tdb.url, chain(0));
      const dataDir = tdb.url.slice("pglite:".length);
      const lockDir = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.lock`);
      const record = (r: object) => JSON.stringify({ state: "held", token: "0123456789abcdef", since: "2026-01-01T00:00:00.000Z", ...r });
      fs.mkdirSync(lockDir, { recursive: true });
      fs.writeFileSync(path.join(lockDir, "1"), record({ pid: process.pid, host: "build-box-elsewhere", started: "1" }));
      const refused = await sluice(dir, ["upgrade", "head", "--json", "--lock-timeout", "3"]);
      expect(refused.code, refused.stderr).toBe(3);
      expect(refused.json.error).toBe("lock-timeout");
      expect(refused.json.message).toContain(`pid ${process.pid} on host build-box-elsewhere`);
      expect(refused.json.hint).toContain("cannot tell whether");

      // This host and a running pid, but not the process that took the lock (its start time differs).
      fs.writeFileSync(path.join(lockDir, "2"), record({ pid: process.pid, host: os.hostname(), started: "1" }));
      const taken = await sluice(dir, ["upgrade", "head", "--json"]);
      expect(taken.code, taken.stderr).toBe(0);
      expect(taken.stderr).toContain(`died without releasing it (pid ${process.pid}`);
      expect(stepRevisions(taken.json)).toEqual(["001", "002", "003"]);
    } finally {
      await tdb.drop();
    }
  }, 300_000);

  // Each process's PGlite costs ~300 MB (initdb ~850 MB): bounded here, 20 processes × SLUICE_FAULT_RUNS runs when set.
  const runs = Number(process.env.SLUICE_FAULT_RUNS ?? 1);
  const processes = process.env.SLUICE_FAULT_RUNS ? 20 : 5;
  it(`${processes} processes starting at once on a fresh project (no data directory yet) apply each migration once, ${runs} run(s)`, async () => {
    for (let run = 0; run < runs; run++) {
      const root = tempDir("fresh");
      try {
        const url = `pglite:${path.join(root, "data")}`;
        const dir = makeProject(url, chain(0));
        const results = await Promise.all(Array.from({ length: processes }, () => sluice(dir, ["upgrade", "head", "--json"])));
        for (const r of results) expect(r.code, r.stderr).toBe(0);
        expect(results.flatMap((r) => stepRevisions(r.json)).sort()).toEqual(["001", "002", "003"]);
        await expectConsistentAtHead(dir, url);
        const again = await sluice(dir, ["upgrade", "head", "--json"]);
        expect(again.code, again.stderr).toBe(0);
        expect(stepRevisions(again.json)).toEqual([]);
        expect(fs.readdirSync(root).filter((n) => n.includes(".init-"))).toEqual([]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
  }, 600_000 * runs);
});
