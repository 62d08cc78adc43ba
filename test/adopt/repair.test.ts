import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets, type TestDatabase } from "../support/databases.js";
import { makeProject, sqlMigration } from "../support/project.js";
import { sluice } from "../support/cli.js";

const FIRST = sqlMigration("001", null, "books", "CREATE TABLE books (id int PRIMARY KEY);", "DROP TABLE books;");
const SECOND = sqlMigration("002", "001", "title", "ALTER TABLE books ADD COLUMN title text;", "ALTER TABLE books DROP COLUMN title;");

for (const t of targets) {
  describe(`repair on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    it("a CRLF checkout of an applied file is not a change; stamp --update-checksum re-records a file edited on purpose, and only an applied one", async () => {
      const dir = makeProject(tdb.url, { "001_books.sql": FIRST, "002_title.sql": SECOND });
      const file = path.join(dir, "migrations", "001_books.sql");
      const up = await sluice(dir, ["upgrade", "001", "--json"]);
      expect(up.code, up.stderr).toBe(0);

      fs.writeFileSync(file, FIRST.replace(/\n/g, "\r\n"));
      const crlf = await sluice(dir, ["current", "--json", "--strict"]);
      expect(crlf.code, crlf.stderr).toBe(0);
      expect(crlf.json.drifted).toEqual([]);

      fs.writeFileSync(file, FIRST.replace("CREATE TABLE books", "-- books we sell\nCREATE TABLE books"));
      const edited = await sluice(dir, ["current", "--json"]);
      expect(edited.json.drifted.map((d: { revision: string }) => d.revision)).toEqual(["001"]);

      const fix = await sluice(dir, ["stamp", "001", "--update-checksum", "--json"]);
      expect(fix.code, fix.stderr).toBe(0);
      expect(fix.json.checksum.revision).toBe("001");
      expect(fix.json.checksum.from).not.toBe(fix.json.checksum.to);
      expect(fix.json.to).toEqual(["001"]);
      const after = await sluice(dir, ["current", "--json", "--strict"]);
      expect(after.code, after.stderr).toBe(0);
      expect(after.json.drifted).toEqual([]);
      expect(after.json.current).toEqual(["001"]);

      const pending = await sluice(dir, ["stamp", "002", "--update-checksum"]);
      expect(pending.code).toBe(2);
      expect(pending.stderr).toMatch(/Revision 002 is not applied/);
      const still = await sluice(dir, ["current", "--json"]);
      expect(still.json.current).toEqual(["001"]);
    }, 120_000);
  });
}
