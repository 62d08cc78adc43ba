import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { targets, type TestDatabase } from "../support/databases.js";
import { sluice, startSluice } from "../support/cli.js";
import { sqlMigration, tsMigration, writeMigration } from "../support/project.js";
import { tempDir } from "../support/databases.js";

/** A project whose config holds `extra` (source of object properties) besides the database. */
function project(url: string, extra: string, files: Record<string, string>): string {
  const dir = tempDir("proj");
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)}, migrations: "./migrations", ${extra} });\n`);
  fs.mkdirSync(path.join(dir, "migrations"));
  for (const [name, text] of Object.entries(files)) writeMigration(dir, name, text);
  return dir;
}

const accounts = sqlMigration("001", null, "accounts", "CREATE TABLE accounts (id int PRIMARY KEY, owner text);\nINSERT INTO accounts VALUES (1, 'ann');", "DROP TABLE accounts;");
const addNote = sqlMigration("002", "001", "note", "CREATE TABLE notes_log (n int);\nALTER TABLE accounts ADD COLUMN note text;", "ALTER TABLE accounts DROP COLUMN note;\nDROP TABLE notes_log;");

/** A session that read the table in a transaction it leaves open, so an ALTER TABLE waits for it. */
async function idleInTransaction(url: string): Promise<{ client: pg.Client; pid: number }> {
  const client = new pg.Client({ connectionString: url, application_name: "report-job" });
  await client.connect();
  const pid = (await client.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
  await client.query("BEGIN");
  // The URL's password must not reach Sluice's output.
  await client.query("SELECT count(*) FROM accounts WHERE owner <> 'postgres://app:s3cret-pw@db/app'");
  return { client, pid };
}

async function applied(tdb: TestDatabase): Promise<string[]> {
  const db = await tdb.open();
  try {
    return (await db.query<{ revision: string }>("SELECT revision FROM public.sluice_version ORDER BY revision")).rows.map((r) => r.revision);
  } finally {
    await db.close();
  }
}

const server = targets.find((t) => t.name === "postgres");

describe.skipIf(!server)("lock timeouts on the server", () => {
  it("a migration blocked by a session idle in transaction is retried, then fails naming the statement, the table and the blocker", async () => {
    const tdb = await server!.create();
    try {
      const dir = project(tdb.url, `lockTimeout: "300ms", lockTimeoutRetries: 2`, { "001_accounts.sql": accounts });
      expect((await sluice(dir, ["upgrade", "head"])).code).toBe(0);
      writeMigration(dir, "002_note.sql", addNote);
      const blocker = await idleInTransaction(tdb.url);
      try {
        const r = await sluice(dir, ["upgrade", "head", "--json"]);
        expect(r.code, r.stderr).toBe(3);
        expect(r.stderr).toMatch(/Revision 002 timed out waiting for a lock .*retry 1 of 2/);
        expect(r.stderr).toMatch(/retry 2 of 2/);
        expect(r.stderr).toContain("migrations/002_note.sql:6");
        expect(r.stderr).toContain("ALTER TABLE accounts ADD COLUMN note text");
        expect(r.stderr).toMatch(/after 3 attempts \(lock_timeout 300 ms each\)/);
        expect(r.stderr).toMatch(new RegExp(`AccessExclusiveLock on table accounts, held by:\\n\\s+backend pid ${blocker.pid} \\(idle in transaction, transaction open \\d+ s, application "report-job"\\): SELECT count\\(\\*\\) FROM accounts`));
        expect(r.stderr).toContain(`pg_terminate_backend(${blocker.pid})`);
        expect(r.stdout + r.stderr).not.toContain("s3cret-pw");
        expect(r.json.lockWait.relation).toBe("accounts");
        expect(r.json.lockWait.blockers).toEqual([expect.objectContaining({ pid: blocker.pid, state: "idle in transaction" })]);
        expect(r.json.attempts).toBe(3);
      } finally {
        await blocker.client.end();
      }
      expect(await applied(tdb)).toEqual(["001"]);
    } finally {
      await tdb.drop();
    }
  }, 120_000);

  it("a migration blocked by a session that commits during the retries is applied", async () => {
    const tdb = await server!.create();
    try {
      const dir = project(tdb.url, `lockTimeout: "300ms", lockTimeoutRetries: 10`, { "001_accounts.sql": accounts });
      expect((await sluice(dir, ["upgrade", "head"])).code).toBe(0);
      writeMigration(dir, "002_note.sql", addNote);
      const blocker = await idleInTransaction(tdb.url);
      const run = startSluice(dir, ["upgrade", "head", "--json"]);
      try {
        await run.waitForStderr(/retry 1 of 10/);
        await blocker.client.query("COMMIT");
      } finally {
        await blocker.client.end();
      }
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["002"]);
      expect(await applied(tdb)).toEqual(["001", "002"]);
    } finally {
      await tdb.drop();
    }
  }, 120_000);

  it("retrying a migration of a shared round trip re-runs only it and those after it", async () => {
    const tdb = await server!.create();
    try {
      const counted = (rev: string, down: string, sql: string) => sqlMigration(rev, down, `m${rev}`, `${sql}\nINSERT INTO runs VALUES ('${rev}');`, `DELETE FROM runs WHERE revision = '${rev}';`);
      const dir = project(tdb.url, `lockTimeout: "300ms", lockTimeoutRetries: 10`, {
        "001_accounts.sql": sqlMigration("001", null, "accounts", "CREATE TABLE accounts (id int PRIMARY KEY, owner text);\nCREATE TABLE runs (revision text);", "DROP TABLE runs;\nDROP TABLE accounts;"),
      });
      expect((await sluice(dir, ["upgrade", "head"])).code).toBe(0);
      writeMigration(dir, "002_a.sql", counted("002", "001", "SELECT 1;"));
      writeMigration(dir, "003_b.sql", counted("003", "002", "ALTER TABLE accounts ADD COLUMN note text;"));
      writeMigration(dir, "004_c.sql", counted("004", "003", "SELECT 1;"));
      const blocker = await idleInTransaction(tdb.url);
      const run = startSluice(dir, ["upgrade", "head", "--json"]);
      try {
        await run.waitForStderr(/Revision 003 timed out .*retry 2 of 10/);
        await blocker.client.query("COMMIT");
      } finally {
        await blocker.client.end();
      }
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("002 to 004 (3 migrations), each in its own transaction");
      expect(r.json.steps.map((s: { revision: string }) => s.revision)).toEqual(["002", "003", "004"]);
      const db = await tdb.open();
      try {
        const runs = await db.query<{ revision: string }>("SELECT revision FROM runs ORDER BY revision");
        expect(runs.rows.map((x) => x.revision)).toEqual(["002", "003", "004"]);
      } finally {
        await db.close();
      }
    } finally {
      await tdb.drop();
    }
  }, 120_000);

  it("a --single-transaction run that times out on a lock runs again whole, and fails naming the blocker when it stays", async () => {
    const tdb = await server!.create();
    try {
      const dir = project(tdb.url, `lockTimeout: "300ms", lockTimeoutRetries: 10`, { "001_accounts.sql": accounts });
      expect((await sluice(dir, ["upgrade", "head"])).code).toBe(0);
      writeMigration(dir, "002_note.sql", addNote);
      writeMigration(dir, "003_more.sql", sqlMigration("003", "002", "more", "CREATE TABLE more_log (n int);", "DROP TABLE more_log;"));
      let blocker = await idleInTransaction(tdb.url);
      const run = startSluice(dir, ["upgrade", "head", "--single-transaction", "--json"]);
      try {
        await run.waitForStderr(/timed out waiting for a lock .*retry 2 of 10/);
        await blocker.client.query("COMMIT");
      } finally {
        await blocker.client.end();
      }
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      expect(await applied(tdb)).toEqual(["001", "002", "003"]);

      // A blocker that stays: a fresh database, the same chain up to 002.
      const tdb2 = await server!.create();
      try {
        const dir2 = project(tdb2.url, `lockTimeout: "300ms", lockTimeoutRetries: 1`, { "001_accounts.sql": accounts });
        expect((await sluice(dir2, ["upgrade", "head"])).code).toBe(0);
        writeMigration(dir2, "002_note.sql", addNote);
        blocker = await idleInTransaction(tdb2.url);
        try {
          const failed = await sluice(dir2, ["upgrade", "head", "--single-transaction"]);
          expect(failed.code, failed.stderr).toBe(3);
          expect(failed.stderr).toMatch(/retry 1 of 1/);
          expect(failed.stderr).toContain(`backend pid ${blocker.pid} (idle in transaction`);
          expect(failed.stderr).toContain("Nothing of this run was applied: its one transaction (--single-transaction) was rolled back.");
        } finally {
          await blocker.client.end();
        }
        expect(await applied(tdb2)).toEqual(["001"]);
      } finally {
        await tdb2.drop();
      }
    } finally {
      await tdb.drop();
    }
  }, 120_000);

  it("statement_timeout from a migration's header stops a statement that runs too long", async () => {
    const tdb = await server!.create();
    try {
      const dir = project(tdb.url, "", {
        "001_slow.sql": sqlMigration("001", null, "slow", "SELECT pg_sleep(30);", "SELECT 1;", "-- sluice:statement-timeout 300ms\n"),
      });
      const r = await sluice(dir, ["upgrade", "head"]);
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/57014: canceling statement due to statement timeout/);
      expect(await applied(tdb)).toEqual([]);
    } finally {
      await tdb.drop();
    }
  }, 120_000);
});

/** A migration that records the settings it ran under. */
function recording(rev: string, down: string | null, sql: string, header = ""): string {
  return sqlMigration(rev, down, `m${rev}`, `${sql}\nINSERT INTO seen VALUES ('${rev}', current_setting('lock_timeout'), current_setting('statement_timeout'));`, "SELECT 1;", header);
}

for (const t of targets) {
  describe(`migration timeouts on ${t.name}`, () => {
    it("every migration runs under the default lock_timeout; its own SET, its header and the config win where given", async () => {
      const tdb = await t.create();
      try {
        const files = {
          "001_seen.sql": sqlMigration("001", null, "seen", "CREATE TABLE seen (revision text, lock_timeout text, statement_timeout text);", "DROP TABLE seen;"),
          "002_default.sql": recording("002", "001", "SELECT 1;"),
          "003_own_local.sql": recording("003", "002", "SET LOCAL lock_timeout = '1234ms';"),
          "004_own_session.sql": recording("004", "003", "SET lock_timeout = '2345ms';"),
          "005_outside.sql": recording("005", "004", "SELECT 1;", "-- sluice:transactional false\n"),
          "006_header.sql": recording("006", "005", "SELECT 1;", "-- sluice:statement-timeout 90s\n"),
          "007_ts.ts": tsMigration("007", "006", "ts", `    op.execute("INSERT INTO seen VALUES ('007', current_setting('lock_timeout'), current_setting('statement_timeout'))");`, `    op.execute("SELECT 1");`, `\n  statementTimeout: "2min",`),
        };
        const dir = project(tdb.url, `statementTimeout: "45s"`, files);
        const r = await sluice(dir, ["upgrade", "head"]);
        expect(r.code, r.stderr).toBe(0);
        const db = await tdb.open();
        try {
          const seen = await db.query<{ revision: string; lock_timeout: string; statement_timeout: string }>("SELECT * FROM seen ORDER BY revision");
          expect(seen.rows.map((s) => `${s.revision} ${s.lock_timeout} ${s.statement_timeout}`)).toEqual([
            "002 5s 45s",
            "003 1234ms 45s",
            "004 2345ms 45s",
            "005 5s 45s",
            "006 5s 90s",
            "007 5s 2min",
          ]);
        } finally {
          await db.close();
        }
      } finally {
        await tdb.drop();
      }
    });

    it("lockTimeout: 0 leaves lock_timeout to the server, and upgrade --sql shows the SET lines it would run", async () => {
      const tdb = await t.create();
      try {
        const files = {
          "001_a.sql": sqlMigration("001", null, "a", "CREATE TABLE a (id int);", "DROP TABLE a;"),
          "002_b.sql": sqlMigration("002", "001", "b", "CREATE INDEX CONCURRENTLY a_id ON a (id);", "DROP INDEX CONCURRENTLY a_id;", "-- sluice:transactional false\n-- sluice:statement-timeout 1min\n"),
        };
        const withDefault = await sluice(project(tdb.url, "", files), ["upgrade", "head", "--sql"]);
        expect(withDefault.code, withDefault.stderr).toBe(0);
        expect(withDefault.stdout).toContain("BEGIN;\nSET LOCAL lock_timeout = '5000ms';\nCREATE TABLE a (id int);");
        expect(withDefault.stdout).toContain("SET lock_timeout = '5000ms';\nSET statement_timeout = '60000ms';\nCREATE INDEX CONCURRENTLY a_id ON a (id);\nRESET lock_timeout;\nRESET statement_timeout;");
        const off = await sluice(project(tdb.url, "lockTimeout: 0", files), ["upgrade", "head", "--sql"]);
        expect(off.code, off.stderr).toBe(0);
        expect(off.stdout).not.toContain("lock_timeout");
        expect(off.stdout).toContain("SET statement_timeout = '60000ms';");
      } finally {
        await tdb.drop();
      }
    });
  });
}

describe("timeout settings that are not durations", () => {
  it.each([
    [`lockTimeout: "five"`, /`lockTimeout` is "five"; it must be a number of milliseconds or a string such as "500ms", "5s"/],
    [`statementTimeout: -1`, /`statementTimeout` is -1/],
    [`lockTimeoutRetries: 1.5`, /`lockTimeoutRetries` is 1.5; it must be a whole number from 0 to 100/],
  ])("%s is refused with exit 2", async (extra, message) => {
    const dir = project("pglite:memory", extra, { "001_a.sql": sqlMigration("001", null, "a", "SELECT 1;", "SELECT 1;") });
    const r = await sluice(dir, ["upgrade", "head"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("a migration header with a bad statement-timeout is refused with exit 2", async () => {
    const dir = project("pglite:memory", "", { "001_a.sql": sqlMigration("001", null, "a", "SELECT 1;", "SELECT 1;", "-- sluice:statement-timeout soon\n") });
    const r = await sluice(dir, ["upgrade", "head"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/001_a.sql.*statement-timeout soon.*a duration such as 30s/s);
  });
});
