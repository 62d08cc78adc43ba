// Generates the check benchmark's input: N migration statements of mixed kinds,
// as a Sluice project (a chain of `.sql` migrations) and as one plain `.sql`
// file with the same statements in the same order, one statement per line, for
// Squawk. Deterministic (seeded), so runs compare.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** A small seeded PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TABLES = 50;
const BASE_COLUMNS = "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, code text, amount numeric(10,2), status text, parent_id bigint, created_at timestamptz NOT NULL DEFAULT now()";

/**
 * Statement kinds, with weights. Each returns one single-line statement; `i` makes names unique.
 * `concurrent` kinds go into non-transactional migrations, as PostgreSQL requires.
 */
const KINDS = [
  { name: "create table", w: 5, sql: (t, i) => `CREATE TABLE new_${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, ${t}_id bigint REFERENCES ${t} (id) ON DELETE CASCADE, label text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());` },
  { name: "create table, serial key", w: 1, sql: (t, i) => `CREATE TABLE legacy_${i} (id serial PRIMARY KEY, label varchar(40), seen timestamp);` },
  { name: "add column, nullable", w: 8, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN note_${i} text;` },
  { name: "add column, constant default", w: 5, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN flag_${i} boolean DEFAULT false;` },
  { name: "add column, NOT NULL with default", w: 4, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN active_${i} boolean NOT NULL DEFAULT true;` },
  { name: "add column, NOT NULL without default", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN required_${i} text NOT NULL;` },
  { name: "add column, volatile default", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN token_${i} uuid DEFAULT gen_random_uuid();` },
  { name: "add column, now() default", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN stamped_${i} timestamptz DEFAULT now();` },
  { name: "add column, varchar(n)", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN ref_${i} varchar(64);` },
  { name: "add column, timestamp", w: 1, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN seen_${i} timestamp;` },
  { name: "add column, integer", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN qty_${i} integer;` },
  { name: "add column, char(n)", w: 1, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN cc_${i} char(2);` },
  { name: "add column, UNIQUE", w: 1, sql: (t, i) => `ALTER TABLE ${t} ADD COLUMN ext_${i} text UNIQUE;` },
  { name: "add column, foreign key", w: 2, sql: (t, i, u) => `ALTER TABLE ${t} ADD COLUMN ${u}_${i} bigint REFERENCES ${u} (id) ON DELETE SET NULL;` },
  { name: "create index", w: 5, sql: (t, i) => `CREATE INDEX ix_${i} ON ${t} (code);` },
  { name: "create index concurrently", w: 5, concurrent: true, sql: (t, i) => `CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_${i} ON ${t} (status);` },
  { name: "create unique index concurrently", w: 2, concurrent: true, sql: (t, i) => `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_${i} ON ${t} (code) WHERE code IS NOT NULL;` },
  { name: "drop index", w: 2, sql: (t, i) => `DROP INDEX IF EXISTS ix_old_${i};` },
  { name: "drop index concurrently", w: 2, concurrent: true, sql: (t, i) => `DROP INDEX CONCURRENTLY IF EXISTS ix_old_${i};` },
  { name: "foreign key", w: 3, sql: (t, i, u) => `ALTER TABLE ${t} ADD CONSTRAINT fk_${i} FOREIGN KEY (parent_id) REFERENCES ${u} (id) ON DELETE CASCADE;` },
  { name: "foreign key NOT VALID", w: 3, sql: (t, i, u) => `ALTER TABLE ${t} ADD CONSTRAINT fk_${i} FOREIGN KEY (parent_id) REFERENCES ${u} (id) ON DELETE RESTRICT NOT VALID;` },
  { name: "foreign key, no ON DELETE", w: 1, sql: (t, i, u) => `ALTER TABLE ${t} ADD CONSTRAINT fk_${i} FOREIGN KEY (parent_id) REFERENCES ${u} (id) NOT VALID;` },
  { name: "validate constraint", w: 3, sql: (t, i) => `ALTER TABLE ${t} VALIDATE CONSTRAINT fk_${i - 1};` },
  { name: "check constraint", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT ck_${i} CHECK (amount >= 0);` },
  { name: "check constraint NOT VALID", w: 2, sql: (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT ck_${i} CHECK (amount >= 0) NOT VALID;` },
  { name: "unique constraint", w: 1, sql: (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT uq_c_${i} UNIQUE (code);` },
  { name: "unique constraint USING INDEX", w: 1, sql: (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT uq_c_${i} UNIQUE USING INDEX uq_${i - 1};` },
  { name: "rename column", w: 2, sql: (t, i) => `ALTER TABLE ${t} RENAME COLUMN note_${i - 1} TO remark_${i};` },
  { name: "rename table", w: 1, sql: (t, i) => `ALTER TABLE new_${i - 1} RENAME TO renamed_${i};` },
  { name: "column type change", w: 2, sql: (t, i) => `ALTER TABLE ${t} ALTER COLUMN amount TYPE numeric(14,2);` },
  { name: "column type change, USING", w: 1, sql: (t, i) => `ALTER TABLE ${t} ALTER COLUMN status TYPE integer USING status::integer;` },
  { name: "set default", w: 2, sql: (t) => `ALTER TABLE ${t} ALTER COLUMN status SET DEFAULT 'new';` },
  { name: "drop not null", w: 1, sql: (t) => `ALTER TABLE ${t} ALTER COLUMN name DROP NOT NULL;` },
  { name: "set not null", w: 2, sql: (t) => `ALTER TABLE ${t} ALTER COLUMN name SET NOT NULL;` },
  { name: "drop column", w: 2, sql: (t, i) => `ALTER TABLE ${t} DROP COLUMN IF EXISTS old_${i};` },
  { name: "drop table", w: 1, sql: (t, i) => `DROP TABLE IF EXISTS obsolete_${i};` },
  { name: "create enum", w: 1, sql: (t, i) => `CREATE TYPE kind_${i} AS ENUM ('a', 'b');` },
  { name: "enum value IF NOT EXISTS", w: 2, sql: (t, i) => `ALTER TYPE mood ADD VALUE IF NOT EXISTS 'v${i}';` },
  { name: "enum value", w: 1, sql: (t, i) => `ALTER TYPE mood ADD VALUE 'w${i}';` },
  { name: "update with WHERE", w: 4, sql: (t) => `UPDATE ${t} SET status = 'new' WHERE status IS NULL;` },
  { name: "delete with WHERE", w: 1, sql: (t) => `DELETE FROM ${t} WHERE status = 'gone';` },
  { name: "set lock_timeout", w: 2, sql: () => `SET lock_timeout = '5s';` },
  { name: "comment", w: 1, sql: (t) => `COMMENT ON TABLE ${t} IS 'reviewed';` },
];

/**
 * Writes `dir/project` (sluice.config.ts, migrations/NNN_mNNN.sql) and
 * `dir/all.sql`. Returns, per statement in file order: its kind, its line in
 * all.sql, its file and line in the project, and whether its migration is transactional.
 */
export function generate(dir, { statements = 10_000, perMigration = 50, seed = 5 } = {}) {
  const rand = rng(seed);
  const transactionalKinds = KINDS.filter((k) => !k.concurrent);
  const concurrentKinds = KINDS.filter((k) => k.concurrent);
  const pick = (kinds) => {
    const total = kinds.reduce((n, k) => n + k.w, 0);
    let r = rand() * total;
    for (const k of kinds) if ((r -= k.w) < 0) return k;
    return kinds[kinds.length - 1];
  };
  const table = () => `t${1 + Math.floor(rand() * TABLES)}`;

  const project = path.join(dir, "project");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(project, "migrations"), { recursive: true });
  fs.writeFileSync(path.join(project, "sluice.config.ts"), 'import { defineConfig } from "sluice";\n\nexport default defineConfig({ database: "pglite:.sluice/db" });\n');

  // Migration 1: the tables and the enum the others change.
  const base = [`CREATE TYPE mood AS ENUM ('ok');`];
  for (let t = 1; t <= TABLES; t++) base.push(`CREATE TABLE t${t} (${BASE_COLUMNS});`);
  const migrations = [{ statements: base.map((sql) => ({ kind: "base table", sql })), transactional: true }];
  let count = base.length;
  for (let n = 0; count < statements; n++) {
    // One migration in eight builds and drops indexes CONCURRENTLY, outside a transaction.
    const concurrent = n % 8 === 7;
    const size = Math.min(perMigration, statements - count);
    const list = [];
    for (let j = 0; j < size; j++) {
      const i = count + j;
      const kind = pick(concurrent ? concurrentKinds : transactionalKinds);
      let u = table();
      const t = table();
      if (u === t) u = t === "t1" ? "t2" : "t1";
      list.push({ kind: kind.name, sql: kind.sql(t, i, u) });
    }
    migrations.push({ statements: list, transactional: !concurrent });
    count += size;
  }

  const all = [];
  const out = [];
  const width = Math.max(3, String(migrations.length).length);
  migrations.forEach((m, k) => {
    const rev = String(k + 1).padStart(width, "0");
    const file = `migrations/${rev}_m${rev}.sql`;
    const header = [
      `-- sluice:revision ${rev}`,
      `-- sluice:down-revision ${k === 0 ? "none" : String(k).padStart(width, "0")}`,
      `-- sluice:message generated ${rev}`,
      ...(m.transactional ? [] : ["-- sluice:transactional false"]),
      "-- sluice:upgrade",
    ];
    const lines = [...header];
    for (const s of m.statements) {
      lines.push(s.sql);
      all.push(s.sql);
      out.push({ kind: s.kind, sql: s.sql, allLine: all.length, file, line: lines.length, transactional: m.transactional });
    }
    lines.push("-- sluice:downgrade", "SELECT 1;", "");
    fs.writeFileSync(path.join(project, file), lines.join("\n"));
  });
  fs.writeFileSync(path.join(dir, "all.sql"), `${all.join("\n")}\n`);
  return { project, sqlFile: path.join(dir, "all.sql"), statements: out, migrations: migrations.length };
}
