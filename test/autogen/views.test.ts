import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir, targets, type TestDatabase } from "../support/databases.js";
import { autogenerate } from "../../src/commands/autogenerate.js";
import { upgrade, downgrade } from "../../src/commands/migrate.js";
import { diff } from "../../src/commands/diff.js";

/**
 * Views are recreated only when a change touches what they read, in the order
 * they depend on each other: `aaa_totals` reads `zzz_orders_live`, so name
 * order is the wrong order.
 */
const MODEL = (o: { audit?: boolean; note?: boolean; amountType?: string } = {}) => `
CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL${o.note === false ? "" : ", note text"});
CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers (id), amount ${o.amountType ?? "numeric(10,2)"} NOT NULL, status text NOT NULL);
${o.audit === false ? "" : "CREATE TABLE audit_log (id bigint PRIMARY KEY, entry text);"}
CREATE VIEW zzz_orders_live AS SELECT id, customer_id, amount FROM orders WHERE status <> 'cancelled';
CREATE VIEW aaa_totals AS SELECT customer_id, sum(amount) AS total FROM zzz_orders_live GROUP BY customer_id;
CREATE MATERIALIZED VIEW mmm_names AS SELECT id, name FROM customers;
CREATE UNIQUE INDEX mmm_names_id ON mmm_names (id);
`;

function project(url: string): string {
  const dir = repoTempDir("views");
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)}, schema: { sql: "./schema.sql" } });\n`);
  fs.mkdirSync(path.join(dir, "migrations"));
  fs.writeFileSync(path.join(dir, "schema.sql"), MODEL());
  return dir;
}

const viewOps = (text: string) => text.split("\n").filter((l) => /\bVIEW\b/.test(l) && !/REVIEW/.test(l)).map((l) => l.trim());

for (const t of targets) {
  describe(`views on ${t.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      tdb = await t.create();
      dir = project(tdb.url);
      const first = await autogenerate({ cwd: dir, message: "base" });
      expect(first.written).not.toBeNull();
      const text = fs.readFileSync(first.written!.path, "utf8");
      // Created after what they read, whatever their names.
      expect(text.indexOf("VIEW zzz_orders_live")).toBeLessThan(text.indexOf("VIEW aaa_totals"));
      await upgrade({ cwd: dir, check: false });
      expect((await diff({ cwd: dir })).differences).toEqual([]);
    });
    afterAll(async () => tdb?.drop());

    const step = async (model: string, message: string) => {
      fs.writeFileSync(path.join(dir, "schema.sql"), model);
      const r = await autogenerate({ cwd: dir, message });
      expect(r.written, message).not.toBeNull();
      const text = fs.readFileSync(r.written!.path, "utf8");
      await upgrade({ cwd: dir, check: false });
      expect((await diff({ cwd: dir })).differences, message).toEqual([]);
      await downgrade({ cwd: dir, target: "-1", allowDataLoss: true });
      expect((await diff({ cwd: dir })).differences.length, message).toBeGreaterThan(0);
      await upgrade({ cwd: dir, check: false });
      return text;
    };

    it("dropping a table no view reads, or a column no view reads, touches no view", async () => {
      expect(viewOps(await step(MODEL({ audit: false }), "drop audit log"))).toEqual([]);
      expect(viewOps(await step(MODEL({ audit: false, note: false }), "drop customer note"))).toEqual([]);
    });

    it("retyping a column a view reads rebuilds that view and the views on it, dependents dropped first, and the downgrade restores them", async () => {
      const text = await step(MODEL({ audit: false, note: false, amountType: "numeric(12,2)" }), "wider amounts");
      const up = text.slice(0, text.indexOf("downgrade("));
      expect(up.indexOf("DROP VIEW aaa_totals")).toBeGreaterThan(-1);
      expect(up.indexOf("DROP VIEW aaa_totals")).toBeLessThan(up.indexOf("DROP VIEW zzz_orders_live"));
      expect(up.indexOf("VIEW zzz_orders_live AS")).toBeLessThan(up.indexOf("VIEW aaa_totals AS"));
      // The materialized view reads customers only: left alone.
      expect(text).not.toContain("mmm_names");
    });
  });
}
