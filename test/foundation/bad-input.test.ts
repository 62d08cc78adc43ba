import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { targets, tempDir, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration, writeMigration } from "../support/project.js";

const A = sqlMigration("001", null, "a", "CREATE TABLE a (id int PRIMARY KEY);", "DROP TABLE a;");
const B = tsMigration("002", "001", "b", '    op.addColumn("a", { name: "b", type: "text" });', '    op.dropColumn("a", "b");');

/** Runs a command that must refuse: exit code, a message naming the problem, a hint. */
async function refuses(dir: string, args: string[], code: number, message: RegExp) {
  const r = await sluice(dir, args);
  expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(code);
  expect(r.stderr).toMatch(message);
  return r;
}

describe("bad configuration and connections", () => {
  it("no config: exit 2 and says to run sluice init", async () => {
    const r = await refuses(tempDir("empty"), ["current"], 2, /No sluice\.config\.ts found/);
    expect(r.stderr).toMatch(/sluice init/);
  });

  it("a config that does not compile: exit 2 naming the file", async () => {
    const dir = makeProject(undefined);
    fs.writeFileSync(path.join(dir, "sluice.config.ts"), "export default {\n  migrations: './migrations',, \n};\n");
    await refuses(dir, ["current"], 2, /sluice\.config\.ts could not be loaded/);
  });

  it("a database URL Sluice does not understand: exit 2", async () => {
    await refuses(makeProject("mysql://root@localhost/db"), ["current"], 2, /not one Sluice understands/);
  });

  it("an unreachable server: exit 3, and the password is never printed", async () => {
    const dir = makeProject(undefined, { "001_a.sql": A });
    const r = await refuses(dir, ["upgrade", "--url", "postgres://app:s3cr3t-pw@127.0.0.1:1/app", "--json"], 3, /Cannot connect to postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/app/);
    expect(r.stdout + r.stderr).not.toContain("s3cr3t-pw");
  });

  it.runIf(process.env.SLUICE_TEST_PG_URL)("a login the server refuses: exit 3, and the password is never printed", async () => {
    const u = new URL(process.env.SLUICE_TEST_PG_URL!);
    u.username = "no_such_role_sluice";
    u.password = "hunter2-secret";
    const dir = makeProject(undefined, { "001_a.sql": A });
    const r = await refuses(dir, ["current", "--url", u.toString()], 3, /refused the login|role "no_such_role_sluice" does not exist/);
    expect(r.stdout + r.stderr).not.toContain("hunter2-secret");
  });
});

for (const t of targets) {
  describe(`bad migration files on ${t.name}, each refused before anything changes`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    async function unchanged(dir: string) {
      const cur = await sluice(dir, ["history", "--json", "--url", tdb.url]);
      return cur.json?.revisions?.filter((r: { applied: boolean }) => r.applied).length ?? 0;
    }

    it("a .ts file that does not compile names the file and line", async () => {
      const dir = makeProject(tdb.url, { "001_a.sql": A, "002_b.ts": B.replace('op.addColumn("a",', 'op.addColumn("a",, ') });
      const r = await refuses(dir, ["upgrade"], 2, /migrations\/002_b\.ts(:\d+)?: does not compile or import/);
      expect(r.stderr).toMatch(/002_b\.ts:\d+/);
      expect(await unchanged(dir)).toBe(0);
    });

    it("a migration missing downgrade, a revision that is a number, a .sql file without its header", async () => {
      const dir = makeProject(tdb.url, { "001_a.sql": A, "002_b.ts": B.replace(/downgrade\(op\) \{[\s\S]*?\n  \},/, "") });
      await refuses(dir, ["upgrade"], 2, /002_b\.ts: has no downgrade\(op\) function/);
      writeMigration(dir, "002_b.ts", B.replace('revision: "002"', "revision: 2"));
      await refuses(dir, ["current"], 2, /revision must be a string such as "002"/);
      writeMigration(dir, "002_b.ts", B);
      writeMigration(dir, "003_c.sql", "CREATE TABLE c (id int);\n");
      await refuses(dir, ["current"], 2, /003_c\.sql:1: has no `-- sluice:revision` header line/);
      expect(await unchanged(dir)).toBe(0);
    });

    it("duplicate revisions, a down revision that names nothing, a cycle", async () => {
      const dir = makeProject(tdb.url, { "001_a.sql": A, "002_b.ts": B, "003_c.sql": sqlMigration("002", "001", "dup", "SELECT 1;", "SELECT 1;") });
      await refuses(dir, ["upgrade"], 2, /Revision 002 is declared by more than one file/);
      writeMigration(dir, "003_c.sql", sqlMigration("003", "077", "c", "SELECT 1;", "SELECT 1;"));
      await refuses(dir, ["upgrade"], 2, /down revision 077, but no migration has that revision/);
      writeMigration(dir, "001_a.sql", A.replace("down-revision none", "down-revision 003"));
      writeMigration(dir, "003_c.sql", sqlMigration("003", "002", "c", "SELECT 1;", "SELECT 1;"));
      await refuses(dir, ["upgrade"], 2, /cycle/);
      expect(await unchanged(dir)).toBe(0);
    });

    it("several heads: revision refuses and says how to merge; merge joins them", async () => {
      const dir = makeProject(tdb.url, { "001_a.sql": A, "002_b.ts": B, "003_c.sql": sqlMigration("003", "001", "c", "SELECT 1;", "SELECT 1;") });
      const r = await refuses(dir, ["revision", "-m", "next"], 2, /several heads \(002, 003\)/);
      expect(r.stderr).toMatch(/sluice merge -m/);
      await refuses(dir, ["upgrade"], 2, /several heads/);
      const m = await sluice(dir, ["merge", "-m", "merge heads", "--json"]);
      expect(m.code, m.stderr).toBe(0);
      expect(m.json).toMatchObject({ revision: "004", downRevision: "002,003" });
      const heads = await sluice(dir, ["heads", "--json"]);
      expect(heads.json.heads.map((h: { revision: string }) => h.revision)).toEqual(["004"]);
      expect((await sluice(dir, ["upgrade"])).code).toBe(0);
      expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["004"]);
      expect((await sluice(dir, ["downgrade", "base"])).code).toBe(0);
    });

    it("unknown and ambiguous targets, and a downgrade past base", async () => {
      const dir = makeProject(tdb.url, { "001_a.sql": A, "002_b.ts": B });
      await refuses(dir, ["upgrade", "042"], 2, /No migration has revision 042/);
      await refuses(dir, ["upgrade", "00"], 2, /ambiguous: it matches 001, 002/);
      expect((await sluice(dir, ["upgrade", "001"])).code).toBe(0);
      await refuses(dir, ["downgrade", "-2"], 2, /only 1 step\(s\) above base/);
      await refuses(dir, ["downgrade"], 2, /missing required argument 'target'/);
      expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);
      expect((await sluice(dir, ["downgrade", "base"])).code).toBe(0);
    });

    it("revision ids keep their leading zeros through arguments and JSON", async () => {
      const dir = makeProject(tdb.url, { "001_a.sql": A, "002_b.ts": B });
      const r = await sluice(dir, ["upgrade", "001", "--json"]);
      expect(r.json.to).toEqual(["001"]);
      const d = await sluice(dir, ["downgrade", "base", "--json"]);
      expect(d.json.steps[0].revision).toBe("001");
    });
  });
}
