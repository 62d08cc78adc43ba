import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir, targets, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";

/** Every column type Drizzle's pg-core offers (PostGIS and pgvector aside), with the defaults people write. */
const ALL_TYPES = `
import { sql } from "drizzle-orm";
import {
  pgTable, pgEnum, serial, smallserial, bigserial, integer, smallint, bigint, numeric, real, doublePrecision, boolean,
  text, varchar, char, uuid, json, jsonb, timestamp, date, time, interval, inet, cidr, macaddr, macaddr8, point, line,
} from "drizzle-orm/pg-core";

export const status = pgEnum("status", ["draft", "published", "archived"]);

export const everything = pgTable("everything", {
  id: serial("id").primaryKey(),
  small: smallserial("small"),
  big: bigserial("big", { mode: "number" }),
  count: integer("count").notNull().default(0),
  tiny: smallint("tiny").default(1),
  large: bigint("large", { mode: "bigint" }).default(sql\`9007199254740993\`),
  alwaysId: integer("always_id").generatedAlwaysAsIdentity(),
  byDefaultId: bigint("by_default_id", { mode: "number" }).generatedByDefaultAsIdentity({ startWith: 1000 }),
  price: numeric("price", { precision: 12, scale: 2 }).default("0.00"),
  ratio: real("ratio").default(0.5),
  score: doublePrecision("score"),
  active: boolean("active").notNull().default(true),
  name: text("name").notNull().default("unnamed"),
  code: varchar("code", { length: 32 }),
  anyLength: varchar("any_length"),
  flag: char("flag", { length: 1 }).default("n"),
  externalId: uuid("external_id").defaultRandom().notNull(),
  plain: json("plain"),
  doc: jsonb("doc").default({ tags: [], version: 1 }),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
  localAt: timestamp("local_at", { precision: 3 }),
  stamped: timestamp("stamped", { withTimezone: true, precision: 6, mode: "string" }).default(sql\`now()\`),
  day: date("day").default(sql\`CURRENT_DATE\`),
  at: time("at", { precision: 0 }),
  wait: interval("wait").default("1 day"),
  state: status("state").notNull().default("draft"),
  history: status("history").array(),
  tags: text("tags").array().notNull().default(sql\`'{}'::text[]\`),
  matrix: integer("matrix").array(),
  address: inet("address"),
  network: cidr("network"),
  mac: macaddr("mac"),
  mac8: macaddr8("mac8"),
  place: point("place"),
  edge: line("edge"),
  note: text("note").default(sql\`'draft'::text\`),
});
`;

/** The model a team edits in the "Done when" of the issue: before and after. */
const SHOP = (extra: { column?: boolean; index?: boolean; enumValue?: boolean; table?: boolean }) => `
import { sql } from "drizzle-orm";
import { pgTable, pgEnum, uuid, text, varchar, jsonb, timestamp, integer, index, uniqueIndex } from "drizzle-orm/pg-core";

export const mediaAssetType = pgEnum("mediaassettype", ["image", "video"${extra.enumValue ? `, "usd_master"` : ""}]);

export const products = pgTable("products", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  pimId: varchar("pim_id", { length: 64 }),${extra.column ? `\n  stepHash: text("step_hash"),` : ""}
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow().notNull(),
}, (t) => [
  uniqueIndex("uq_products_pim_id").on(t.pimId).where(sql\`\${t.pimId} IS NOT NULL\`),${extra.index ? `\n  index("ix_products_name").on(t.name),` : ""}
]);

export const mediaAssets = pgTable("media_assets", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  kind: mediaAssetType("kind").notNull(),
});
${
  extra.table
    ? `
export const cadFiles = pgTable("cad_files", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  sizeBytes: integer("size_bytes").notNull().default(0),
  meta: jsonb("meta"),
}, (t) => [index("ix_cad_files_product_id").on(t.productId)]);
`
    : ""
}`;

function project(url: string, model: { drizzle?: string; sql?: string } | null, files: Record<string, string>): string {
  const dir = repoTempDir("autogen");
  const schema = model ? `  schema: ${JSON.stringify(model)},\n` : "";
  fs.writeFileSync(
    path.join(dir, "sluice.config.ts"),
    `import { defineConfig } from "sluice";\nexport default defineConfig({\n  database: ${JSON.stringify(url)},\n  migrations: "./migrations",\n${schema}});\n`,
  );
  fs.mkdirSync(path.join(dir, "migrations"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const migrationFiles = (dir: string) => fs.readdirSync(path.join(dir, "migrations")).sort();

for (const t of targets) {
  describe(`autogenerate on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());
    beforeEach(async () => {
      const db = await tdb.open();
      try {
        await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
      } finally {
        await db.close();
      }
    });

    it("a model using every Drizzle column type and the database built from it compare equal: no phantom changes", async () => {
      const dir = project(tdb.url, { drizzle: "./src/db/schema.ts" }, { "src/db/schema.ts": ALL_TYPES });
      const first = await sluice(dir, ["revision", "--autogenerate", "-m", "everything", "--json"]);
      expect(first.code, first.stderr).toBe(0);
      expect(first.json.written.revision).toBe("001");
      const up = await sluice(dir, ["upgrade", "--no-check"]);
      expect(up.code, up.stderr).toBe(0);
      const diff = await sluice(dir, ["diff", "--json"]);
      expect(diff.json?.differences, diff.stderr).toEqual([]);
      expect(diff.code).toBe(0);
      const again = await sluice(dir, ["revision", "--autogenerate", "-m", "nothing"]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("No changes");
      expect(migrationFiles(dir)).toEqual(["001_everything.ts"]);
    });

    it("a user adds a column, an index, an enum value and a table with a cascading foreign key; the file reads right, applies, and diff finds no drift", async () => {
      const dir = project(tdb.url, { drizzle: "./src/db/schema.ts" }, { "src/db/schema.ts": SHOP({}) });
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "shop"])).code).toBe(0);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);

      fs.writeFileSync(path.join(dir, "src/db/schema.ts"), SHOP({ column: true, index: true, enumValue: true, table: true }));
      const drift = await sluice(dir, ["diff"]);
      expect(drift.code).toBe(1);
      expect(drift.stdout).toContain("table products › column step_hash: added");
      expect(drift.stdout).toContain("table cad_files: added");

      const rev = await sluice(dir, ["revision", "--autogenerate", "-m", "cad files and step hash"]);
      expect(rev.code, rev.stderr).toBe(0);
      expect(rev.stdout).toContain("Wrote migrations/002_cad_files_and_step_hash.ts (revision 002, down revision 001)");
      expect(rev.stdout).toContain("add value 'usd_master' to enum mediaassettype");
      const file = fs.readFileSync(path.join(dir, "migrations/002_cad_files_and_step_hash.ts"), "utf8");
      expect(file).toContain(`op.addEnumValue("mediaassettype", "usd_master", { ifNotExists: true, after: "video" });`);
      expect(file).toContain(`op.addColumn("products", { name: "step_hash", type: "text" });`);
      // The index on products, which already holds rows, is built concurrently in a migration of its own, outside a transaction.
      expect(rev.stdout).toContain("Wrote migrations/003_cad_files_and_step_hash_concurrently.ts (revision 003, down revision 002), outside a transaction");
      const concurrent = fs.readFileSync(path.join(dir, "migrations/003_cad_files_and_step_hash_concurrently.ts"), "utf8");
      expect(concurrent).toContain("transactional: false,");
      expect(concurrent).toContain(`op.createIndex("ix_products_name", "products", ["name"], { concurrently: true });`);
      expect(concurrent.indexOf(`op.dropIndex("ix_products_name", { concurrently: true, ifExists: true });`)).toBeLessThan(concurrent.indexOf("op.createIndex"));
      expect(file).not.toContain("ix_products_name");
      // Neither file draws an error or a lock warning from Sluice's own checks.
      const checked = await sluice(dir, ["check", "--json"]);
      const LOCK_RULES = ["index-not-concurrent", "constraint-not-valid", "lock-timeout", "set-not-null-without-check", "column-type-rewrite", "concurrently-in-transaction"];
      expect(checked.json.findings.filter((f: { rule: string; severity: string }) => f.severity === "error" || LOCK_RULES.includes(f.rule))).toEqual([]);
      expect(file).toContain(`op.createTable("cad_files", [`);
      expect(file).toContain(`{ onDelete: "CASCADE" }`);
      // Enum value before the table that might use it; the table before its foreign key; the index after its column.
      const at = (s: string) => file.indexOf(s);
      expect(at("op.addEnumValue")).toBeLessThan(at(`op.createTable("cad_files"`));
      expect(at(`op.createTable("cad_files"`)).toBeLessThan(at("op.createForeignKey"));
      // The downgrade undoes the upgrade in reverse order.
      const down = file.slice(at("downgrade(op)"));
      expect(down.indexOf(`op.dropConstraint("cad_files_product_id_products_id_fk"`)).toBeLessThan(down.indexOf(`op.dropTable("cad_files")`));
      expect(down).toContain(`op.dropColumn("products", "step_hash");`);
      // An added enum value stays in the downgrade, with a note and no REVIEW stop: PostgreSQL cannot drop it.
      expect(down).toContain(`// NOTE: 'usd_master' stays in enum mediaassettype: PostgreSQL cannot drop an enum value`);
      expect(file).not.toContain("REVIEW");
      expect(file).not.toContain("sluice_old");

      const up = await sluice(dir, ["upgrade", "--no-check"]);
      expect(up.code, up.stderr).toBe(0);
      const clean = await sluice(dir, ["diff"]);
      expect(clean.stdout).toContain("No drift");
      expect(clean.code).toBe(0);

      const back = await sluice(dir, ["downgrade", "-1"]);
      expect(back.code, back.stderr).toBe(0);
      expect((await sluice(dir, ["diff"])).code).toBe(1);
    });

    it("a column moved from one enum type to another is cast through text, and the downgrade casts it back", async () => {
      const model = (type: string) => `CREATE TYPE status AS ENUM ('draft', 'live');\nCREATE TYPE state AS ENUM ('draft', 'live', 'gone');\nCREATE TABLE posts (id int PRIMARY KEY, s ${type} NOT NULL);\n`;
      const dir = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": model("status") });
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "base"])).code).toBe(0);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      const db = await tdb.open();
      await db.exec("INSERT INTO posts VALUES (1, 'draft'), (2, 'live')");
      await db.close();
      fs.writeFileSync(path.join(dir, "schema.sql"), model("state"));
      const rev = await sluice(dir, ["revision", "--autogenerate", "-m", "state"]);
      expect(rev.code, rev.stderr).toBe(0);
      const file = fs.readFileSync(path.join(dir, "migrations", migrationFiles(dir)[1]), "utf8");
      expect(file).toContain(`using: "s::text::state"`);
      expect(file).toContain(`using: "s::text::status"`);
      const up = await sluice(dir, ["upgrade", "--no-check"]);
      expect(up.code, up.stderr).toBe(0);
      expect((await sluice(dir, ["diff", "--json"])).json.differences).toEqual([]);
      const back = await sluice(dir, ["downgrade", "-1"]);
      expect(back.code, back.stderr).toBe(0);
    });

    it("widening a varchar is written without a REVIEW mark (PostgreSQL does not rewrite for it); narrowing it is marked", async () => {
      const model = (n: number) => `CREATE TABLE phones (id int PRIMARY KEY, number varchar(${n}) NOT NULL);\n`;
      const dir = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": model(15) });
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "base"])).code).toBe(0);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      fs.writeFileSync(path.join(dir, "schema.sql"), model(20));
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "wider"])).code).toBe(0);
      const wider = fs.readFileSync(path.join(dir, "migrations", migrationFiles(dir)[1]), "utf8");
      expect(wider).toMatch(/type: "(character varying|varchar)\(20\)"/);
      expect(wider).not.toContain("REVIEW");
      const checked = await sluice(dir, ["check", "--json"]);
      expect(checked.json.findings.filter((f: { rule: string }) => f.rule === "column-type-rewrite")).toEqual([]);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      fs.writeFileSync(path.join(dir, "schema.sql"), model(10));
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "narrower"])).code).toBe(0);
      expect(fs.readFileSync(path.join(dir, "migrations", migrationFiles(dir)[2]), "utf8")).toContain("REVIEW: type change character varying(20) → character varying(10): may rewrite");
    });

    it("a dropped table takes its own foreign keys with it, and an index written as SQL (operator class, DESC) is dropped by the downgrade", async () => {
      const model = (v: number) => `CREATE TABLE parents (id int PRIMARY KEY, name text NOT NULL);
${v === 0 ? "CREATE TABLE children (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES parents (id) ON DELETE CASCADE);\n" : ""}${v === 1 ? "CREATE INDEX ix_parents_name ON parents (name text_pattern_ops, id DESC);\n" : ""}`;
      const dir = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": model(0) });
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "base"])).code).toBe(0);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      fs.writeFileSync(path.join(dir, "schema.sql"), model(1));
      const rev = await sluice(dir, ["revision", "--autogenerate", "-m", "no children", "--json"]);
      expect(rev.code, rev.stderr).toBe(0);
      const file = fs.readFileSync(path.join(dir, "migrations", migrationFiles(dir)[1]), "utf8");
      const [up, down] = file.split("downgrade(op)");
      expect(up).toContain(`op.dropTable("children"`);
      expect(up).not.toContain("dropConstraint");
      expect(file).not.toContain("cannot be undone");
      // The index on the existing table parents comes in a second, non-transactional migration, built concurrently.
      const concurrent = fs.readFileSync(path.join(dir, "migrations", migrationFiles(dir)[2]), "utf8");
      expect(concurrent).toContain("CREATE INDEX CONCURRENTLY ix_parents_name ON public.parents USING btree (name text_pattern_ops, id DESC)");
      expect(concurrent.split("downgrade(op)")[1]).toContain(`op.dropIndex("ix_parents_name", { concurrently: true, ifExists: true });`);
      expect(down).toMatch(/op\.createForeignKey\("children_parent_id_fkey", "children", \["parent_id"\], "parents", \["id"\], \{\s*onDelete: "CASCADE",?\s*\}\)/);
      const checked = await sluice(dir, ["check", "--json"]);
      expect(checked.json.findings.filter((f: { rule: string; severity: string }) => f.severity === "error").map((f: { rule: string }) => f.rule)).toEqual(["destructive-change"]);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      expect((await sluice(dir, ["diff", "--json"])).json.differences).toEqual([]);
      const back = await sluice(dir, ["downgrade", "-2", "--yes"]);
      expect(back.code, back.stderr).toBe(0);
      fs.writeFileSync(path.join(dir, "schema.sql"), model(0));
      expect((await sluice(dir, ["diff", "--json"])).json.differences).toEqual([]);
    });

    it("the seed's planned changes: usd_master, three JSONB columns, a NOT NULL column to backfill, and a hand-written settings-key rename left alone by the next run", async () => {
      const model = (step: number) => `
CREATE TYPE mediaassettype AS ENUM ('image', 'video'${step >= 1 ? ", 'usd_master'" : ""});
CREATE TABLE cad_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL${step >= 1 ? ",\n  source_material_assignments jsonb,\n  resolved_material_assignments jsonb,\n  manual_material_overrides jsonb" : ""}${step >= 2 ? ",\n  step_hash text NOT NULL" : ""}
);
CREATE TABLE system_settings (key text PRIMARY KEY, value text);
`;
      const dir = project(tdb.url, { sql: "./db/schema.sql" }, { "db/schema.sql": model(0) });
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "base"])).code).toBe(0);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      const db = await tdb.open();
      await db.exec("INSERT INTO cad_files (name) VALUES ('a.step'), ('b.step'); INSERT INTO system_settings VALUES ('gltf_production_linear_deflection', '0.1')");
      await db.close();

      fs.writeFileSync(path.join(dir, "db/schema.sql"), model(1));
      const r1 = await sluice(dir, ["revision", "--autogenerate", "-m", "usd master and material assignments", "--json"]);
      expect(r1.code, r1.stderr).toBe(0);
      expect(r1.json.changes.map((c: { summary: string }) => c.summary)).toEqual([
        "add value 'usd_master' to enum mediaassettype",
        "add column cad_files.source_material_assignments (jsonb)",
        "add column cad_files.resolved_material_assignments (jsonb)",
        "add column cad_files.manual_material_overrides (jsonb)",
      ]);
      // The author adds the data change autogenerate cannot see.
      const f1 = r1.json.written.path as string;
      const rename = `    op.execute("UPDATE system_settings SET key = 'scene_linear_deflection' WHERE key = 'gltf_production_linear_deflection'", {\n      reverseSql: "UPDATE system_settings SET key = 'gltf_production_linear_deflection' WHERE key = 'scene_linear_deflection'",\n    });\n`;
      const edited = fs.readFileSync(f1, "utf8").replace("  },\n  downgrade(op) {", `${rename}  },\n  downgrade(op) {`);
      fs.writeFileSync(f1, edited);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);

      fs.writeFileSync(path.join(dir, "db/schema.sql"), model(2));
      const r2 = await sluice(dir, ["revision", "--autogenerate", "-m", "step hash"]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(fs.readFileSync(f1, "utf8")).toBe(edited);
      const f2 = fs.readFileSync(path.join(dir, "migrations/003_step_hash.ts"), "utf8");
      expect(f2).not.toContain("system_settings");
      expect(f2).toContain("// REVIEW: cad_files.step_hash is NOT NULL in the model but has no default");
      expect(f2).toContain(`op.addColumn("cad_files", { name: "step_hash", type: "text", nullable: true });`);
      expect(f2).toContain("// op.execute(`UPDATE cad_files SET step_hash = /* value */ WHERE step_hash IS NULL`);");
      expect(f2).toContain(`// op.alterColumn("cad_files", "step_hash", { nullable: false });`);
      // It applies on a table with rows.
      const up = await sluice(dir, ["upgrade", "--no-check"]);
      expect(up.code, up.stderr).toBe(0);
      const check = await tdb.open();
      const keys = await check.query<{ key: string }>("SELECT key FROM system_settings");
      await check.close();
      expect(keys.rows).toEqual([{ key: "scene_linear_deflection" }]);
      // Until the author completes the backfill, diff says what is left.
      const left = await sluice(dir, ["diff"]);
      expect(left.code).toBe(1);
      expect(left.stdout).toContain("table cad_files › column step_hash › nullable: true → false");
    });

    it("a renamed column: --rename keeps the data; without it, drop and add with a REVIEW naming the candidate", async () => {
      const before = `CREATE TABLE products (id integer PRIMARY KEY, sku text);\n`;
      const after = `CREATE TABLE products (id integer PRIMARY KEY, article_no text);\n`;
      const dir = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": before });
      expect((await sluice(dir, ["revision", "--autogenerate", "-m", "products"])).code).toBe(0);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      fs.writeFileSync(path.join(dir, "schema.sql"), after);

      const guess = await sluice(dir, ["revision", "--autogenerate", "-m", "guess"]);
      const guessed = fs.readFileSync(path.join(dir, "migrations/002_guess.ts"), "utf8");
      expect(guess.code).toBe(0);
      expect(guessed).toContain("// REVIEW: destructive: drops the column and its data.");
      expect(guessed).toContain("--rename products.sku=article_no");
      fs.rmSync(path.join(dir, "migrations/002_guess.ts"));

      const r = await sluice(dir, ["revision", "--autogenerate", "-m", "rename sku", "--rename", "products.sku=article_no"]);
      expect(r.code, r.stderr).toBe(0);
      const file = fs.readFileSync(path.join(dir, "migrations/002_rename_sku.ts"), "utf8");
      expect(file).toContain(`op.renameColumn("products", "sku", "article_no");`);
      expect(file).toContain(`op.renameColumn("products", "article_no", "sku");`);
      expect(file).not.toContain("dropColumn");
    });

    it("--from-chain compares the model with the chain replayed on embedded PGlite, without the database", async () => {
      const dir = project("postgres://nobody@127.0.0.1:1/none", { sql: "./schema.sql" }, { "schema.sql": "CREATE TABLE a (id integer PRIMARY KEY);\n" });
      const r = await sluice(dir, ["revision", "--autogenerate", "--from-chain", "-m", "a"]);
      expect(r.code, r.stderr).toBe(0);
      fs.writeFileSync(path.join(dir, "schema.sql"), "CREATE TABLE a (id integer PRIMARY KEY, b text);\n");
      const r2 = await sluice(dir, ["revision", "--autogenerate", "--from-chain", "-m", "b", "--json"]);
      expect(r2.code, r2.stderr).toBe(0);
      expect(r2.json.changes).toEqual([{ summary: "add column a.b (text)", review: false }]);
      expect((await sluice(dir, ["diff", "--from-chain"])).code).toBe(0);
    });

    it.runIf(t.name === "postgres")("--dev-url compiles the model in the given empty database and leaves it empty; one that is not empty is refused", async () => {
      const dev = await t.create();
      try {
        const dir = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": "CREATE TABLE a (id integer PRIMARY KEY, note text);\n" });
        const r = await sluice(dir, ["revision", "--autogenerate", "-m", "a", "--dev-url", dev.url, "--json"]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.json.changes.map((c: { summary: string }) => c.summary)).toEqual(["create table a"]);
        const db = await dev.open();
        try {
          expect((await db.query("SELECT 1 FROM pg_class WHERE relname = 'a'")).rows).toHaveLength(0);
          // A model error inside the dev database's transaction still names its line.
          fs.writeFileSync(path.join(dir, "schema.sql"), "CREATE TABLE a (id integer PRIMARY KEY, note text);\nCREATE TABLE b (a_id integer REFERENCES nowhere);\n");
          const bad = await sluice(dir, ["diff", "--dev-url", dev.url]);
          expect(bad.code).toBe(2);
          expect(bad.stderr).toContain("schema.sql:2");
          await db.exec("CREATE TABLE leftover (id int)");
        } finally {
          await db.close();
        }
        const refused = await sluice(dir, ["diff", "--dev-url", dev.url]);
        expect(refused.code).toBe(2);
        expect(refused.stderr).toContain("is not empty");
      } finally {
        await dev.drop();
      }
    });

    it("bad input is refused with exit 2 and nothing written: no schema in the config, a model that does not import, a database not at head", async () => {
      const none = project(tdb.url, null, {});
      const r1 = await sluice(none, ["revision", "--autogenerate", "-m", "x"]);
      expect(r1.code).toBe(2);
      expect(r1.stderr).toContain("has no `schema`");
      expect(r1.stderr).toContain("hint: Add schema: { drizzle:");
      expect((await sluice(none, ["diff"])).code).toBe(2);

      const broken = project(tdb.url, { drizzle: "./schema.ts" }, { "schema.ts": `import { nothing } from "./missing.js";\nexport const x = nothing;\n` });
      const r2 = await sluice(broken, ["revision", "--autogenerate", "-m", "x"]);
      expect(r2.code).toBe(2);
      expect(r2.stderr).toContain("could not be imported");

      const invalid = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": "CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (a_id integer REFERENCES nowhere);\n" });
      const r3 = await sluice(invalid, ["revision", "--autogenerate", "-m", "x"]);
      expect(r3.code).toBe(2);
      expect(r3.stderr).toContain("schema.sql:2");

      const behind = project(tdb.url, { sql: "./schema.sql" }, { "schema.sql": "CREATE TABLE a (id integer PRIMARY KEY);\n" });
      expect((await sluice(behind, ["revision", "--autogenerate", "-m", "a"])).code).toBe(0);
      const r4 = await sluice(behind, ["revision", "--autogenerate", "-m", "again"]);
      expect(r4.code).toBe(2);
      expect(r4.stderr).toContain("Target database is not up to date");
      expect(r4.stderr).toContain("sluice upgrade");
      for (const dir of [none, broken, invalid]) expect(migrationFiles(dir)).toEqual([]);
      expect(migrationFiles(behind)).toEqual(["001_a.ts"]);
    });
  });
}
