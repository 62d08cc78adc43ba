import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { openForDescribe, targets } from "../support/databases.js";
import type { Db } from "../../src/db/index.js";
import { introspect } from "../../src/schema/index.js";
import type { Schema, SchemaDifference } from "../../src/schema/index.js";
import { diffSchemas, modelDrift, renderChanges } from "../../src/autogen/index.js";
import { recordOps, renderOp } from "../../src/ops/index.js";

/**
 * The round-trip property: for random schemas A and B, the migration
 * autogenerate writes for A → B, applied on a database holding A, gives a
 * database equal to B; its downgrade gives one equal to A. "Equal" is what
 * `sluice diff` reports: everything but the physical order of columns, which
 * PostgreSQL cannot change (added columns go last).
 */
// 60 pairs by default keep the file well inside its timeout on a loaded 2-core
// machine; SLUICE_PROPERTY_RUNS=500 searches harder.
const RUNS = Number(process.env.SLUICE_PROPERTY_RUNS ?? 60);

const TYPES = ["integer", "bigint", "numeric(10,2)", "text", "varchar(20)", "boolean", "jsonb", "uuid", "timestamptz", "text[]", "e1", "e2"] as const;
type ColumnType = (typeof TYPES)[number];
const NUMERIC = new Set<string>(["integer", "bigint", "numeric(10,2)"]);
const STRING = new Set<string>(["text", "varchar(20)"]);

interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  withDefault: boolean;
  index: "none" | "plain" | "unique" | "partial" | "expression";
  unique: boolean;
  check: boolean;
  comment: boolean;
}
interface TableSpec {
  present: boolean;
  pk: "none" | "serial" | "identity" | "uuid" | "composite";
  columns: ColumnSpec[];
  fk: { to: number; onDelete: "NO ACTION" | "CASCADE" | "SET NULL" } | null;
  comment: boolean;
}
interface SchemaSpec {
  e1: string[] | null;
  e2: string[] | null;
  tables: TableSpec[];
}

const columnArb = fc.record({
  name: fc.constantFrom("c1", "c2", "c3", "c4", "c5"),
  type: fc.constantFrom(...TYPES),
  nullable: fc.boolean(),
  withDefault: fc.boolean(),
  index: fc.constantFrom("none", "none", "plain", "unique", "partial", "expression"),
  unique: fc.boolean(),
  check: fc.boolean(),
  comment: fc.constantFrom(false, false, true),
}) as fc.Arbitrary<ColumnSpec>;

const tableArb: fc.Arbitrary<TableSpec> = fc.record({
  present: fc.constantFrom(true, true, true, false),
  pk: fc.constantFrom("none", "serial", "identity", "uuid", "composite"),
  columns: fc.uniqueArray(columnArb, { minLength: 1, maxLength: 4, selector: (c) => c.name }),
  fk: fc.option(fc.record({ to: fc.nat(2), onDelete: fc.constantFrom("NO ACTION", "CASCADE", "SET NULL") }), { nil: null }),
  comment: fc.constantFrom(false, false, true),
}) as fc.Arbitrary<TableSpec>;

const enumArb = fc.option(fc.shuffledSubarray(["a", "b", "c", "d"], { minLength: 1 }), { nil: null });
const schemaArb: fc.Arbitrary<SchemaSpec> = fc.record({ e1: enumArb, e2: enumArb, tables: fc.array(tableArb, { minLength: 3, maxLength: 3 }) });

/** The type a column gets, given which enums exist. */
function effectiveType(s: SchemaSpec, type: ColumnType): string {
  if (type === "e1" && !s.e1) return "text";
  if (type === "e2" && !s.e2) return "text";
  return type;
}

/** A type change PostgreSQL can make with `USING col::new_type` on any rows. */
function castable(from: string, to: string): boolean {
  return from === to || STRING.has(from) || STRING.has(to) || (NUMERIC.has(from) && NUMERIC.has(to));
}

function pkType(t: TableSpec): string | null {
  return t.pk === "serial" || t.pk === "identity" ? "integer" : t.pk === "uuid" ? "uuid" : null;
}

/** Makes B a schema A can migrate to without a hand-written USING: kept columns change only between castable types. */
function reconcile(a: SchemaSpec, b: SchemaSpec): SchemaSpec {
  const tables = b.tables.map((bt, i) => {
    const at = a.tables[i];
    if (!at.present || !bt.present) return bt;
    let pk = bt.pk;
    // A key column of another type (integer ↔ uuid) would need a USING too.
    if (pkType(at) && pkType(bt) && pkType(at) !== pkType(bt)) pk = at.pk;
    const columns = bt.columns.map((bc) => {
      const ac = at.columns.find((c) => c.name === bc.name);
      if (!ac) return bc;
      return castable(effectiveType(a, ac.type), effectiveType(b, bc.type)) ? bc : { ...bc, type: ac.type };
    });
    return { ...bt, pk, columns };
  });
  return { ...b, tables };
}

function defaultFor(s: SchemaSpec, type: string, n: number): string {
  switch (type) {
    case "integer":
    case "bigint":
      return String(n % 2 ? 7 : 0);
    case "numeric(10,2)":
      return "1.5";
    case "text":
    case "varchar(20)":
      return n % 2 ? "'x'" : "'y'";
    case "boolean":
      return n % 2 ? "true" : "false";
    case "jsonb":
      return `'{}'::jsonb`;
    case "uuid":
      return "gen_random_uuid()";
    case "timestamptz":
      return "now()";
    case "text[]":
      return "'{}'::text[]";
    case "e1":
      return `'${s.e1![0]}'`;
    case "e2":
      return `'${s.e2![0]}'`;
  }
  throw new Error(type);
}

/** The DDL of a schema spec: enums, tables, then foreign keys, indexes and comments. */
function ddl(s: SchemaSpec): string {
  const out: string[] = [];
  if (s.e1) out.push(`CREATE TYPE e1 AS ENUM (${s.e1.map((v) => `'${v}'`).join(", ")})`);
  if (s.e2) out.push(`CREATE TYPE e2 AS ENUM (${s.e2.map((v) => `'${v}'`).join(", ")})`);
  const later: string[] = [];
  s.tables.forEach((t, i) => {
    if (!t.present) return;
    const name = `t${i + 1}`;
    const defs: string[] = [];
    if (t.pk === "serial") defs.push("id serial PRIMARY KEY");
    if (t.pk === "identity") defs.push("id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
    if (t.pk === "uuid") defs.push("id uuid PRIMARY KEY DEFAULT gen_random_uuid()");
    const composite = t.pk === "composite" && t.columns.length >= 2 ? t.columns.slice(0, 2).map((c) => c.name) : [];
    t.columns.forEach((c, n) => {
      const type = effectiveType(s, c.type);
      const notNull = !c.nullable || composite.includes(c.name);
      defs.push(`${c.name} ${type}${c.withDefault ? ` DEFAULT ${defaultFor(s, type, n + i)}` : ""}${notNull ? " NOT NULL" : ""}`);
      if (c.unique && type !== "jsonb") defs.push(`CONSTRAINT ${name}_${c.name}_key UNIQUE (${c.name})`);
      if (c.check && NUMERIC.has(type)) defs.push(`CONSTRAINT ${name}_${c.name}_check CHECK (${c.name} >= 0)`);
      const ix = `${name}_${c.name}_idx`;
      if (c.index === "plain") later.push(`CREATE INDEX ${ix} ON ${name} (${c.name})`);
      if (c.index === "unique") later.push(`CREATE UNIQUE INDEX ${ix} ON ${name} (${c.name})`);
      if (c.index === "partial") later.push(`CREATE INDEX ${ix} ON ${name} (${c.name}) WHERE ${c.name} IS NOT NULL`);
      // Only immutable expressions can be indexed: lower() of a string column.
      if (c.index === "expression") later.push(`CREATE INDEX ${ix} ON ${name} (${STRING.has(type) ? `lower(${c.name})` : c.name})`);
      if (c.comment) later.push(`COMMENT ON COLUMN ${name}.${c.name} IS 'column ${c.name} of ${name}'`);
    });
    if (composite.length) defs.push(`CONSTRAINT ${name}_pk PRIMARY KEY (${composite.join(", ")})`);
    const target = t.fk ? s.tables[t.fk.to] : undefined;
    if (t.fk && target?.present && pkType(target) && t.fk.to !== i) {
      const col = `t${t.fk.to + 1}_id`;
      defs.push(`${col} ${pkType(target)}`);
      later.push(`ALTER TABLE ${name} ADD CONSTRAINT ${name}_${col}_fkey FOREIGN KEY (${col}) REFERENCES t${t.fk.to + 1} (id) ON DELETE ${t.fk.onDelete}`);
    }
    if (!defs.length) defs.push("filler text");
    out.push(`CREATE TABLE ${name} (\n  ${defs.join(",\n  ")}\n)`);
    if (t.comment) later.push(`COMMENT ON TABLE ${name} IS 'table ${name}'`);
  });
  return [...out, ...later].map((x) => `${x};`).join("\n");
}

async function reset(db: Db): Promise<void> {
  await db.exec("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
}

async function build(db: Db, sql: string): Promise<Schema> {
  await reset(db);
  await db.exec(sql);
  return introspect(db);
}

/** Runs a rendered upgrade() or downgrade() body: records its op calls, renders them to SQL, runs them in one transaction. */
async function runBody(db: Db, body: string): Promise<void> {
  const { op, ops } = recordOps();
  new Function("op", body)(op);
  await db.exec("BEGIN");
  try {
    for (const o of ops) for (const sql of renderOp(o)) await db.exec(sql);
    await db.exec("COMMIT");
  } catch (err) {
    await db.exec("ROLLBACK");
    throw err;
  }
}

/** What a reviewer does with a NOT NULL column added without a default, on an empty table: keep SET NOT NULL, skip the backfill. */
function completeReviews(body: string): string {
  return body
    .split("\n")
    .filter((l) => !/^\s*\/\/ op\.execute\(`UPDATE/.test(l))
    .map((l) => l.replace(/^(\s*)\/\/ (op\.alterColumn\(.*nullable: false \}\);)$/, "$1$2"))
    .join("\n");
}

function differences(actual: Schema, expected: Schema): string[] {
  return modelDrift(actual, expected).map((d) => d.text);
}

for (const t of targets) {
  describe(`autogenerate round trip on ${t.name}`, () => {
    const open = openForDescribe(t);

    it(`for ${RUNS} random pairs of schemas, upgrade reaches B and downgrade returns to A`, async () => {
      await fc.assert(
        fc.asyncProperty(schemaArb, schemaArb, async (specA, rawB) => {
          const specB = reconcile(specA, rawB);
          const [sqlA, sqlB] = [ddl(specA), ddl(specB)];
          const b = await build(open.db, sqlB);
          const a = await build(open.db, sqlA);
          const { changes } = diffSchemas(a, b);
          const { upgrade, downgrade } = renderChanges(changes);
          const context = `\n-- A\n${sqlA}\n-- B\n${sqlB}\n-- upgrade\n${upgrade}\n-- downgrade\n${downgrade}`;
          try {
            await runBody(open.db, completeReviews(upgrade));
          } catch (err) {
            throw new Error(`upgrade failed: ${(err as Error).message}${context}`);
          }
          const afterUp = await introspect(open.db);
          expect(differences(afterUp, b), `after upgrade${context}`).toEqual([]);
          expect(diffSchemas(afterUp, b).changes.map((c) => c.summary), `autogenerate again after upgrade${context}`).toEqual([]);
          try {
            await runBody(open.db, downgrade);
          } catch (err) {
            throw new Error(`downgrade failed: ${(err as Error).message}${context}`);
          }
          // An enum value the upgrade added stays (PostgreSQL cannot drop one); verify notes it the same way.
          const kept = (d: SchemaDifference) => {
            if (d.property !== "values" || d.kind !== "changed" || !d.path[0]?.startsWith("enum ")) return false;
            const [now, was] = [d.from as string[], d.to as string[]];
            const added = b.enums.find((e) => `enum ${e.name}` === d.path[0])?.values ?? [];
            return JSON.stringify(now.filter((v) => was.includes(v))) === JSON.stringify(was) && now.every((v) => was.includes(v) || added.includes(v));
          };
          expect(modelDrift(await introspect(open.db), a).filter((d) => !kept(d)).map((d) => d.text), `after downgrade${context}`).toEqual([]);
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
    }, 600_000);
  });
}
