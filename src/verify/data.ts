import type { Db } from "../db/types.js";
import type { Schema, Table, Column } from "../schema/types.js";
import { quoteIdent } from "../ops/quote.js";

export interface SampleDataResult {
  /** `schema.table` → rows inserted. */
  readonly inserted: Record<string, number>;
  /** Tables that could not be filled, and why. */
  readonly skipped: { table: string; reason: string }[];
}

const qt = (t: { schema: string; name: string }) => `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;

/**
 * Inserts a few generated rows into every table (parents before children), so
 * that a migration that cannot run on a non-empty table fails on the shadow.
 * Columns with defaults keep them; foreign keys, and columns named after a
 * table (`parent_id`), point at existing parent rows.
 */
export async function insertSampleRows(db: Db, schema: Schema, rowsPerTable = 3): Promise<SampleDataResult> {
  const inserted: Record<string, number> = {};
  const skipped: { table: string; reason: string }[] = [];
  const enums = new Map(schema.enums.map((e) => [e.schema === "public" ? e.name : `${e.schema}.${e.name}`, e.values]));
  for (const table of parentsFirst(schema.tables)) {
    const key = `${table.schema}.${table.name}`;
    // Values continue after the rows already there, so unique columns stay unique across calls.
    const start = Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qt(table)}`)).rows[0].n);
    let n = 0;
    let lastError = "";
    for (let i = 0; i < rowsPerTable; i++) {
      const cols: string[] = [];
      const vals: string[] = [];
      let impossible = "";
      for (const c of table.columns) {
        if (c.identity || c.generated) continue;
        const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === c.name);
        const target = fk ? { schema: fk.references.schema, name: fk.references.table, column: fk.references.columns[0] } : c.default === null && c.nullable ? namedReference(c, table, schema) : undefined;
        if (target) {
          const parent = qt(target);
          cols.push(quoteIdent(c.name));
          const ref = quoteIdent(target.column);
          vals.push(`(SELECT ${ref} FROM ${parent} ORDER BY 1 LIMIT 1 OFFSET (${start + i} % greatest((SELECT count(*) FROM ${parent}), 1)))`);
          continue;
        }
        if (c.default !== null) continue;
        const v = sampleValue(c, start + i, enums);
        if (v === undefined) {
          if (!c.nullable) impossible = `no sample value for column ${c.name} of type ${c.type}`;
          continue;
        }
        cols.push(quoteIdent(c.name));
        vals.push(v);
      }
      if (impossible) {
        lastError = impossible;
        break;
      }
      const sql = cols.length ? `INSERT INTO ${qt(table)} (${cols.join(", ")}) VALUES (${vals.join(", ")})` : `INSERT INTO ${qt(table)} DEFAULT VALUES`;
      try {
        await db.exec(sql);
        n++;
      } catch (err) {
        lastError = (err as Error).message;
      }
    }
    inserted[key] = n;
    if (n === 0 && lastError) skipped.push({ table: key, reason: lastError });
  }
  return { inserted, skipped };
}

/**
 * The table a column without a foreign key names by convention (`parent_id` →
 * `parents` or `parent`, `authorId` → `authors`), when that table has a
 * one-column primary key of the same type: its sample values point at that
 * table's rows, so a foreign key a later migration adds holds on them.
 */
function namedReference(c: Column, table: Table, schema: Schema): { schema: string; name: string; column: string } | undefined {
  const m = /^(.+?)(?:_id|Id)$/.exec(c.name);
  if (!m) return undefined;
  const stem = m[1];
  const names = [stem, `${stem}s`, `${stem}es`, stem.endsWith("y") ? `${stem.slice(0, -1)}ies` : ""].filter(Boolean);
  for (const name of names) {
    const parent = schema.tables.find((t) => t.name === name && (t.schema === table.schema || t.schema === "public"));
    const pk = parent?.primaryKey;
    if (!parent || !pk || pk.columns.length !== 1) continue;
    const key = parent.columns.find((x) => x.name === pk.columns[0]);
    if (key && key.type === c.type) return { schema: parent.schema, name: parent.name, column: key.name };
  }
  return undefined;
}

function sampleValue(c: Column, i: number, enums: Map<string, readonly string[]>): string | undefined {
  const t = c.type.toLowerCase();
  const n = i + 1;
  if (t.endsWith("[]")) return "'{}'";
  if (/^(smallint|integer|bigint|numeric|real|double precision|decimal)/.test(t)) return String(n);
  if (/^(text|character varying|varchar|character|char|citext|name)/.test(t)) {
    const len = /\((\d+)\)/.exec(t);
    const s = `sample ${n}`;
    return `'${len ? s.slice(0, Math.max(1, Number(len[1]))) : s}'`;
  }
  if (t === "uuid") return `'00000000-0000-4000-8000-${String(n).padStart(12, "0")}'`;
  if (t === "boolean") return n % 2 ? "true" : "false";
  if (t.startsWith("timestamp") || t === "date") return `now() - interval '${n} day'`;
  if (t.startsWith("time")) return "'12:00'";
  if (t.startsWith("interval")) return `interval '${n} hour'`;
  if (t === "json" || t === "jsonb") return `'{"sample": ${n}}'`;
  if (t === "bytea") return "'\\x00'";
  if (t === "inet" || t === "cidr") return `'10.0.0.${n}'`;
  const values = enums.get(c.type) ?? enums.get(c.type.replace(/"/g, ""));
  if (values?.length) return `'${values[i % values.length].replace(/'/g, "''")}'`;
  return undefined;
}

/** Tables ordered so that each comes after the tables its foreign keys reference. */
function parentsFirst(tables: readonly Table[]): Table[] {
  const key = (s: string, n: string) => `${s}.${n}`;
  const byKey = new Map(tables.map((t) => [key(t.schema, t.name), t]));
  const out: Table[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (t: Table) => {
    const k = key(t.schema, t.name);
    if (state.get(k)) return;
    state.set(k, "visiting");
    for (const fk of t.foreignKeys) {
      const parent = byKey.get(key(fk.references.schema, fk.references.table));
      if (parent && parent !== t) visit(parent);
    }
    state.set(k, "done");
    out.push(t);
  };
  tables.forEach(visit);
  return out;
}
