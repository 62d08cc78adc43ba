import { describe, expect, it } from "vitest";
import { openForDescribe, targets } from "../support/databases.js";
import { typeChangeRewrites } from "../../src/ops/rewrite.js";

/** Type changes, each asked of PostgreSQL itself: does the table get a new file? */
const CHANGES: [string, string][] = [
  ["varchar(15)", "varchar(20)"],
  ["varchar(20)", "varchar(15)"],
  ["varchar(15)", "varchar"],
  ["varchar(15)", "text"],
  ["text", "varchar(15)"],
  ["text", "varchar"],
  ["numeric(10,2)", "numeric(12,2)"],
  ["numeric(10,2)", "numeric(12,3)"],
  ["numeric(10,2)", "numeric"],
  ["numeric(10,2)", "numeric(8,2)"],
  ["integer", "bigint"],
  ["integer", "text"],
];

for (const t of targets) {
  describe(`which type changes rewrite the table, on ${t.name}`, () => {
    const open = openForDescribe(t);

    it("typeChangeRewrites says what PostgreSQL does (the table's file changes exactly when it rewrites)", async () => {
      const seen: string[] = [];
      for (const [i, [from, to]] of CHANGES.entries()) {
        await open.db.exec(`CREATE TABLE rw_${i} (c ${from}); INSERT INTO rw_${i} VALUES ('1')`);
        const file = async () => (await open.db.query<{ f: string }>(`SELECT pg_relation_filenode('rw_${i}')::text AS f`)).rows[0].f;
        const before = await file();
        await open.db.exec(`ALTER TABLE rw_${i} ALTER COLUMN c TYPE ${to}`);
        const rewrote = (await file()) !== before;
        seen.push(`${from} → ${to}: ${rewrote ? "rewrites" : "no rewrite"}`);
        expect(typeChangeRewrites(from, to), `${from} → ${to}`).toBe(rewrote);
      }
      // Both outcomes occur, so the comparison above can fail either way.
      expect(seen.some((s) => s.endsWith("no rewrite")) && seen.some((s) => s.endsWith(": rewrites"))).toBe(true);
    });

    it("format_type spellings count the same as the SQL ones", () => {
      expect(typeChangeRewrites("character varying(15)", "character varying(20)")).toBe(false);
      expect(typeChangeRewrites("character varying(20)", "text")).toBe(false);
      expect(typeChangeRewrites("unknown_type", "text")).toBe(true);
    });
  });
}
