import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { targets, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration, writeMigration } from "../support/project.js";
import { loadParser, splitStatementsSync, statementKind } from "../../src/sql/parse.js";
import { renderOffline, type CompiledMigration } from "../../src/runner/runner.js";
import { commentLine } from "../../src/text.js";
import type { Migration } from "../../src/chain/files.js";

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "sluice.js");
const noNul = (s: string) => s.replace(/\u0000/g, "");
const INJECTION = "multi\nDROP TABLE base_t; --";
const BASE = sqlMigration("001", null, "base", "CREATE TABLE base_t (id int PRIMARY KEY);", "DROP TABLE base_t;");

/** The kinds of the statements PostgreSQL's parser finds in a script. */
async function statementKinds(sql: string): Promise<string[]> {
  await loadParser();
  return splitStatementsSync(sql).map((s) => statementKind(s.ast));
}

function migrationFiles(dir: string): string[] {
  return fs.readdirSync(path.join(dir, "migrations")).sort();
}

describe("text written into SQL or TypeScript stays text", () => {
  const separators = fc.constantFrom("\n", "\r", "\r\n", "\u0000", "\u0085", "\u2028", "\u2029", "\u000b", "\u000c", "*/", "/*", "--", ";", "'", "$$");
  const hostile = fc.array(fc.oneof(fc.string({ unit: "binary", maxLength: 12 }), separators, fc.constant("DROP TABLE base_t;")), { maxLength: 8 }).map((parts) => parts.join(""));

  it("the comment lines of an --sql script never yield a statement, whatever the message holds", async () => {
    await loadParser();
    const migration = { revision: "002", downRevisions: ["001"], message: "", file: "migrations/002_x.sql", checksum: "0".repeat(64), transactional: true } as unknown as Migration;
    fc.assert(
      // PostgreSQL text cannot hold NUL (a message with one is refused long before), so the version row's literals leave it out.
      fc.property(hostile.map(noNul), hostile.map(noNul), (message, revision) => {
        const compiled: CompiledMigration = {
          migration: { ...migration, message, revision },
          direction: "upgrade",
          ops: [],
          statements: [{ sql: "CREATE TABLE a (id int)" } as CompiledMigration["statements"][number]],
        };
        const script = renderOffline([compiled]);
        const kinds = splitStatementsSync(script).map((s) => statementKind(s.ast));
        expect(kinds).toEqual(["TransactionStmt", "CreateStmt", "InsertStmt", "TransactionStmt"]);
      }),
      { numRuns: 200 },
    );
  });

  it("a comment line holds no line break of SQL or TypeScript", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        for (const marker of ["--", "//"] as const) expect(commentLine(marker, text)).not.toMatch(/[\n\r\u2028\u2029\u0085]/);
      }),
      { numRuns: 300 },
    );
  });
});

for (const t of targets) {
  describe(`hostile input on ${t.name}: refused, nothing changes`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    /** Rows of the version table, read from the database itself (the chain may be the thing refused). */
    async function appliedCount(): Promise<number> {
      const db = await tdb.open();
      try {
        const r = await db.query<{ n: number }>("SELECT CASE WHEN to_regclass('public.sluice_version') IS NULL THEN 0 ELSE (SELECT count(*)::int FROM (SELECT 1) x) END AS n");
        if (r.rows[0].n === 0) return 0;
        return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM public.sluice_version")).rows[0].n;
      } finally {
        await db.close();
      }
    }

    async function tableExists(name: string): Promise<boolean> {
      const db = await tdb.open();
      try {
        const r = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_class WHERE relname = $1 AND relkind = 'r'", [name]);
        return r.rows[0].n > 0;
      } finally {
        await db.close();
      }
    }

    it("a message with a newline is refused by revision (.ts and .sql) and merge, and no file is written", async () => {
      const dir = makeProject(tdb.url, { "001_base.sql": BASE });
      for (const args of [["revision", "-m", INJECTION], ["revision", "--sql", "-m", INJECTION], ["revision", "-m", "tab\tok but cr\rnot"], ["merge", "-m", INJECTION]]) {
        const r = await sluice(dir, args);
        expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(2);
        if (args[0] === "revision") expect(r.stderr).toMatch(/message contains a (newline|carriage return).*one line of text/);
      }
      expect(migrationFiles(dir)).toEqual(["001_base.sql"]);
      const ok = await sluice(dir, ["revision", "-m", "x; DROP TABLE base_t; --"]);
      expect(ok.code, ok.stderr).toBe(0);
    });

    it("MCP generate_migration refuses the message and writes nothing", async () => {
      const dir = makeProject(tdb.url, { "001_base.sql": BASE });
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "DATABASE_URL") env[k] = v;
      const client = new Client({ name: "sluice-test", version: "1.0.0" });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, "mcp"], cwd: dir, env, stderr: "pipe" }));
      try {
        for (const sql of [false, true]) {
          const r = (await client.callTool({ name: "generate_migration", arguments: { message: INJECTION, sql } })) as { isError?: boolean; content: { text: string }[] };
          expect(r.isError).toBe(true);
          expect(r.content[0].text).toMatch(/message contains a newline/);
        }
      } finally {
        await client.close();
      }
      expect(migrationFiles(dir)).toEqual(["001_base.sql"]);
    });

    it("a hand-written migration whose message or revision holds a line break is refused when read, naming the file", async () => {
      const before = await appliedCount();
      const dir = makeProject(tdb.url, { "001_base.sql": BASE, "002_x.ts": tsMigration("002", "001", INJECTION, "", "") });
      for (const args of [["upgrade", "--sql"], ["upgrade"], ["current"]]) {
        const r = await sluice(dir, args);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/migrations\/002_x\.ts: its message "multi\\nDROP TABLE base_t; --" contains a newline/);
        expect(r.stdout).not.toMatch(/^DROP TABLE base_t/m);
      }
      // A lone carriage return ends a `--` comment for PostgreSQL as a newline does.
      fs.rmSync(path.join(dir, "migrations", "002_x.ts"));
      writeMigration(dir, "002_x.sql", sqlMigration("002", "001", "multi\rDROP TABLE base_t; --", "SELECT 1;", "SELECT 1;"));
      const sql = await sluice(dir, ["upgrade", "--sql"]);
      expect(sql.code, sql.stderr).toBe(2);
      expect(sql.stderr).toMatch(/002_x\.sql: its message .* contains a carriage return/);
      fs.rmSync(path.join(dir, "migrations", "002_x.sql"));
      writeMigration(dir, "002_x.ts", tsMigration("002\nDROP TABLE base_t; --", "001", "m", "", ""));
      const rev = await sluice(dir, ["upgrade", "--sql"]);
      expect(rev.code, rev.stderr).toBe(2);
      expect(rev.stderr).toMatch(/002_x\.ts: its revision .* contains a newline/);
      expect(await appliedCount()).toBe(before);
    });

    it("upgrade --sql and show hold only the migrations' statements, whatever the message or the irreversible reason reads like", async () => {
      const message = "x'; DROP TABLE base_t; -- */ $$";
      const dir = makeProject(tdb.url, {
        "001_base.sql": BASE,
        "002_x.sql": sqlMigration("002", "001", message, "ALTER TABLE base_t ADD COLUMN note text;", "ALTER TABLE base_t DROP COLUMN note;"),
        "003_y.ts": tsMigration("003", "002", "one way", '    op.execute("ALTER TABLE base_t ADD COLUMN more text");', "", `\n  irreversible: ${JSON.stringify(INJECTION)},`),
      });
      const r = await sluice(dir, ["upgrade", "--sql"]);
      expect(r.code, r.stderr).toBe(0);
      const kinds = await statementKinds(r.stdout);
      expect(kinds.filter((k) => k === "DropStmt")).toEqual([]);
      expect(kinds.filter((k) => k === "CreateStmt" || k === "AlterTableStmt")).toEqual(["CreateStmt", "CreateStmt", "AlterTableStmt", "AlterTableStmt"]);
      expect(r.stdout).toContain(message);
      const show = await sluice(dir, ["show", "003"]);
      expect(show.code, show.stderr).toBe(0);
      expect(await statementKinds(show.stdout)).toEqual(["AlterTableStmt"]);
      expect(show.stdout).toContain("-- irreversible: multi\\nDROP TABLE base_t; --");
    });

    it("a NUL byte in a .sql migration is refused naming the byte offset and line; nothing is applied", async () => {
      const text = sqlMigration("001", null, "two tables", "CREATE TABLE first_t (id int);\u0000CREATE TABLE second_t (id int);", "DROP TABLE first_t;");
      const before = await appliedCount();
      const dir = makeProject(tdb.url, { "001_two.sql": text });
      const offset = Buffer.from(text).indexOf(0);
      for (const args of [["upgrade"], ["upgrade", "--sql"], ["check"]]) {
        const r = await sluice(dir, args);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`migrations/001_two.sql:5: has a NUL byte at byte offset ${offset} (line 5)`);
      }
      expect(await tableExists("first_t")).toBe(false);
      expect(await appliedCount()).toBe(before);
    });

    it("bytes that are not UTF-8 are refused naming the byte offset; a real U+FFFD is fine", async () => {
      const bytes = Buffer.from(sqlMigration("001", null, "latin1 \ufffd", "CREATE TABLE caf_t (note text DEFAULT 'cafX');", "DROP TABLE caf_t;"));
      const offset = bytes.indexOf("X");
      bytes[offset] = 0xe9; // é in Latin-1
      const before = await appliedCount();
      const dir = makeProject(tdb.url, {});
      fs.writeFileSync(path.join(dir, "migrations", "001_latin1.sql"), bytes);
      const r = await sluice(dir, ["upgrade", "--json"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.json.message).toContain(`has bytes that are not UTF-8 at byte offset ${offset} (line 5)`);
      expect(r.json.file).toBe("migrations/001_latin1.sql");
      expect(await tableExists("caf_t")).toBe(false);
      expect(await appliedCount()).toBe(before);
      fs.writeFileSync(path.join(dir, "migrations", "001_latin1.sql"), sqlMigration("001", null, "ok \ufffd", "CREATE TABLE caf_t (note text DEFAULT 'café');", "DROP TABLE caf_t;"));
      const ok = await sluice(dir, ["upgrade"]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(await tableExists("caf_t")).toBe(true);
      expect((await sluice(dir, ["downgrade", "base"])).code).toBe(0);
    });

    it("op arguments of the wrong shape are refused naming the file, line, op and field; nothing is applied", async () => {
      const cases: [string, RegExp][] = [
        ['op.addColumn("base_t", null);', /002_x\.ts:\d+: addColumn: column must be an object with name and type \(got null\)/],
        ['op.addColumn("base_t", { name: "note" });', /002_x\.ts:\d+: addColumn: column\.type is missing; it must be a string/],
        ['op.createTable("t2", [{ name: "id", type: "int", nullabel: false }]);', /createTable: columns\.0 has unknown key "nullabel"/],
        ['op.createIndex("ix", "base_t", []);', /createIndex: columns must be a non-empty list of column names/],
        ["op.dropTable(42);", /dropTable: table must be a non-empty string \(got number 42\)/],
      ];
      const before = await appliedCount();
      const dir = makeProject(tdb.url, { "001_base.sql": BASE });
      for (const [call, message] of cases) {
        writeMigration(dir, "002_x.ts", tsMigration("002", "001", "bad op", `    ${call}`, ""));
        const r = await sluice(dir, ["upgrade"]);
        expect(r.code, `${call}\n${r.stderr}`).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).not.toMatch(/This is a bug in sluice|TypeError/);
      }
      expect(await appliedCount()).toBe(before);
      expect(await tableExists("base_t")).toBe(false);
    });

    it("a migration file over the size limit is refused before it is read, saying what to do", async () => {
      const before = await appliedCount();
      const dir = makeProject(tdb.url, { "001_base.sql": BASE });
      fs.writeFileSync(path.join(dir, "sluice.config.ts"), `export default { database: ${JSON.stringify(tdb.url)}, migrations: "./migrations", maxMigrationFileMB: 0.01 };\n`);
      writeMigration(dir, "002_big.sql", sqlMigration("002", "001", "big", "UPDATE base_t SET id = id WHERE id < 0;\n".repeat(450), "SELECT 1;"));
      const r = await sluice(dir, ["upgrade"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/002_big\.sql: is \d+ kB; Sluice reads migration files up to 11 kB/);
      expect(r.stderr).toMatch(/maxMigrationFileMB/);
      expect(await appliedCount()).toBe(before);
      fs.writeFileSync(path.join(dir, "sluice.config.ts"), `export default { database: ${JSON.stringify(tdb.url)}, migrations: "./migrations" };\n`);
      const ok = await sluice(dir, ["upgrade"]);
      expect(ok.code, ok.stderr).toBe(0);
      expect((await sluice(dir, ["downgrade", "base"])).code).toBe(0);
    });

    it("the default limit (8 MB) refuses a larger file at once, without parsing it", async () => {
      const dir = makeProject(tdb.url, { "001_base.sql": BASE });
      const body = "INSERT INTO base_t VALUES (1);\n".repeat(Math.ceil((9 * 1024 * 1024) / 31));
      writeMigration(dir, "002_big.sql", sqlMigration("002", "001", "big", body, "DELETE FROM base_t;"));
      const r = await sluice(dir, ["upgrade", "--sql"]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/002_big\.sql: is 9\.0 MB; Sluice reads migration files up to 8\.0 MB/);
    });
  });
}
