import crypto from "node:crypto";
import os from "node:os";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { targets } from "../support/databases.js";
import { sluice, startSluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";

const serverUrl = process.env.SLUICE_TEST_PG_URL;
const server = targets.find((t) => t.name === "postgres");
const pglite = targets.find((t) => t.name === "pglite")!;

/** Above any Linux pid_max: no process has it. */
const DEAD_PID = 99_999_999;
const thisHost = crypto.createHash("sha256").update(os.hostname()).digest("hex").slice(0, 8);
const otherHost = thisHost === "0badc0de" ? "0badf00d" : "0badc0de";

/** A scratch database's name as Sluice marks it: prefix, unix time, creator pid, host hash, random. */
function scratchName(secondsAgo: number, pid: number, host = thisHost): string {
  return `sluice_shadow_${Math.floor(Date.now() / 1000) - secondsAgo}_${pid}_${host}_${crypto.randomBytes(2).toString("hex")}`;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const createDatabases = (names: string[]) => admin(async (c) => {
  for (const n of names) await c.query(`CREATE DATABASE "${n}"`);
});
const dropDatabases = (names: string[]) => admin(async (c) => {
  for (const n of names) await c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
});
const existing = (names: string[]) => admin(async (c) => (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = ANY($1) ORDER BY 1", [names])).rows.map((r) => r.datname));

const CHAIN = { "001_t.sql": sqlMigration("001", null, "t", "CREATE TABLE t (id int);", "DROP TABLE t;") };

describe.skipIf(!server)("scratch databases on the server", () => {
  it("sluice clean lists and drops a scratch database whose creator is gone, and leaves a live one, an unmarked one, another host's and unrelated databases alone", async () => {
    const tdb = await server!.create();
    const gone = scratchName(600, DEAD_PID);
    const live = scratchName(7_200, process.pid);
    const elsewhere = scratchName(7_200, DEAD_PID, otherHost);
    const unmarked = `sluice_shadow_${crypto.randomBytes(5).toString("hex")}`;
    const mine = [gone, live, elsewhere, unmarked];
    try {
      await createDatabases(mine);
      const dir = makeProject(tdb.url, CHAIN);

      const listed = await sluice(dir, ["clean", "--dry-run", "--json"]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.json.dryRun).toBe(true);
      const staleOnes = listed.json.stale.filter((d: { name: string }) => mine.includes(d.name));
      expect(staleOnes).toEqual([expect.objectContaining({ name: gone, pid: DEAD_PID, thisHost: true, creator: "gone", dropped: false })]);
      expect(staleOnes[0].reason).toMatch(new RegExp(`pid ${DEAD_PID} on this host, is gone`));
      const kept = Object.fromEntries(listed.json.kept.filter((d: { name: string }) => mine.includes(d.name)).map((d: { name: string; creator: string }) => [d.name, d.creator]));
      expect(kept).toEqual({ [live]: "running", [elsewhere]: "unknown", [unmarked]: "unknown" });
      expect(listed.json.stale.concat(listed.json.kept).map((d: { name: string }) => d.name)).not.toContain(tdb.url.split("/").pop());
      expect(await existing(mine)).toEqual([...mine].sort());

      const cleaned = await sluice(dir, ["clean", "--json"]);
      expect(cleaned.code, cleaned.stderr).toBe(0);
      expect(cleaned.json.stale.find((d: { name: string }) => d.name === gone)).toMatchObject({ dropped: true });
      expect(await existing(mine)).toEqual([live, elsewhere, unmarked].sort());
      expect(await existing([tdb.url.split("/").pop()!])).toHaveLength(1);

      const text = await sluice(dir, ["clean"]);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toContain(`${live}  its creator, pid ${process.pid} on this host, still runs`);
    } finally {
      await dropDatabases(mine);
      await tdb.drop();
    }
  });

  it("verify --shadow-url drops a stale scratch database it finds (creator gone for over an hour), saying so, and leaves none of its own", async () => {
    const tdb = await server!.create();
    const stale = scratchName(7_200, DEAD_PID);
    const recent = scratchName(60, DEAD_PID);
    try {
      await createDatabases([stale, recent]);
      const dir = makeProject(tdb.url, CHAIN);
      const r = await sluice(dir, ["verify", "--shadow-url", "target", "--json"]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stderr).toContain(`Dropped the stale scratch database ${stale}`);
      // A gone creator's database younger than an hour is left to `sluice clean`.
      expect(await existing([stale, recent])).toEqual([recent]);
      const left = await admin(async (c) => (await c.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [`sluice\\_shadow\\_%\\_${process.pid}\\_%`])).rows);
      expect(left).toEqual([]);
    } finally {
      await dropDatabases([stale, recent]);
      await tdb.drop();
    }
  });

  it("a verify --shadow-url killed with kill -9 leaves its scratch database, marked with its pid, and sluice clean drops it", async () => {
    const tdb = await server!.create();
    const leftovers: string[] = [];
    try {
      const dir = makeProject(tdb.url, { "001_slow.sql": sqlMigration("001", null, "slow", "SELECT pg_sleep(120);\nCREATE TABLE t (id int);", "DROP TABLE t;") });
      const run = startSluice(dir, ["verify", "--shadow-url", "target"]);
      await run.waitForStderr(/proving 001/);
      const pattern = `sluice\\_shadow\\_%\\_${run.pid}\\_${thisHost}\\_%`;
      leftovers.push(...(await admin(async (c) => (await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [pattern])).rows.map((r) => r.datname))));
      expect(leftovers).toHaveLength(1);
      run.child.kill("SIGKILL");
      await run.done;
      expect(await existing(leftovers)).toEqual(leftovers);

      const cleaned = await sluice(dir, ["clean", "--json"]);
      expect(cleaned.code, cleaned.stderr).toBe(0);
      expect(cleaned.json.stale.find((d: { name: string }) => d.name === leftovers[0])).toMatchObject({ pid: run.pid, creator: "gone", dropped: true });
      expect(await existing(leftovers)).toEqual([]);
    } finally {
      await dropDatabases(leftovers);
      await tdb.drop();
    }
  });
});

describe("sluice clean on an embedded project", () => {
  it("has no server to clean and says so", async () => {
    const tdb = await pglite.create();
    try {
      const dir = makeProject(tdb.url, CHAIN);
      const r = await sluice(dir, ["clean", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json).toEqual({ server: null, dryRun: false, stale: [], kept: [] });
      const text = await sluice(dir, ["clean"]);
      expect(text.stdout).toMatch(/embedded: its shadows live in memory/);
    } finally {
      await tdb.drop();
    }
  });
});
