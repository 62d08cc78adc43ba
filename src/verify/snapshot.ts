import type { Db } from "../db/types.js";
import { introspect, byText } from "../schema/introspect.js";
import { compareSchemas } from "../schema/compare.js";
import type { Schema, SchemaDifference } from "../schema/types.js";

/**
 * Follows the shadow's schema across one migration: the schema before it, with
 * only the relations the migration may have changed read again. At 600 tables
 * a whole introspection costs ~160 ms on PGlite and the round trip needs three
 * per revision; the relations one migration touches read in a few ms.
 *
 * "May have changed" is read from the catalogs: every catalog row the
 * migration wrote (its xmin is newer than the migration), everything that
 * depends on those through pg_depend, transitively — so renaming an enum type
 * re-reads the tables with columns of that type, renaming a column the views
 * and foreign keys that name it — and every relation whose count of describing
 * rows changed, for rows deleted. Locks would say the same (any change to a
 * relation's definition locks it), but reading pg_locks on a busy server took
 * 0.7 s a call, against a few ms for these catalog scans.
 */
export interface SchemaWatch {
  /** Records what the migration may have changed; call after its statements (inside its transaction or not). */
  observe(tx: Db): Promise<void>;
  /** The schema after the migration, from `before`, the schema before it. */
  schemaAfter(db: Db, before: Schema): Promise<Schema>;
}

export async function watchSchema(db: Db, schemas: readonly string[]): Promise<SchemaWatch> {
  const start = await db.query<{ xid: string }>("SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::numeric % 4294967296)::text AS xid");
  const xid = start.rows[0].xid;
  const before = await inventory(db, schemas);
  let touched: Map<string, Relation> | null = null;
  return {
    async observe(tx) {
      const written = await tx.query<{ oid: number }>(TOUCHED_SQL, [xid]);
      const now = await inventory(tx, schemas);
      const oids = new Set(written.rows.map((r) => r.oid));
      // A deleted catalog row leaves no xmin behind: it shows as a relation whose count of dependent rows changed.
      for (const [oid, rel] of before) if (now.get(oid)?.n !== rel.n) oids.add(oid);
      for (const oid of now.keys()) if (!before.has(oid)) oids.add(oid);
      touched = new Map();
      for (const oid of oids) {
        for (const rel of [before.get(oid), now.get(oid)]) if (rel) touched.set(`${rel.schema}.${rel.name}`, { schema: rel.schema, name: rel.name });
      }
    },
    async schemaAfter(db, previous) {
      if (!touched) return introspect(db, { schemas });
      const names = touched;
      const partial = await introspect(db, { schemas, only: [...names.values()] });
      const kept = <T extends Relation>(xs: readonly T[]) => xs.filter((x) => !names.has(`${x.schema}.${x.name}`));
      const bySchemaName = (a: Relation, b: Relation) => byText(a.schema, b.schema) || byText(a.name, b.name);
      return {
        ...partial,
        tables: [...kept(previous.tables), ...partial.tables].sort(bySchemaName),
        views: [...kept(previous.views), ...partial.views].sort(bySchemaName),
      };
    },
  };
}

interface Relation {
  readonly schema: string;
  readonly name: string;
}

/**
 * Each relation of `schemas` with the number of catalog rows that describe it
 * (its own, its indexes, constraints, defaults, rules, triggers, comments,
 * extension membership): one row per relation, whatever the number of objects.
 */
async function inventory(db: Db, schemas: readonly string[]): Promise<Map<number, Relation & { n: number }>> {
  const r = await db.query<{ oid: number; schema: string; name: string; n: number }>(INVENTORY_SQL, [schemas]);
  return new Map(r.rows.map((row) => [row.oid, row]));
}

const INVENTORY_SQL = `
SELECT r.oid::int AS oid, n.nspname::text AS schema, r.relname::text AS name, count(*)::int AS n FROM (
    SELECT coalesce(i.indrelid, c.oid) AS rel FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid
     WHERE c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I')
  UNION ALL SELECT conrelid FROM pg_constraint WHERE conrelid <> 0
  UNION ALL SELECT adrelid FROM pg_attrdef
  UNION ALL SELECT ev_class FROM pg_rewrite
  UNION ALL SELECT tgrelid FROM pg_trigger
  UNION ALL SELECT coalesce(i.indrelid, k.conrelid, d.objoid) FROM pg_description d
      LEFT JOIN pg_index i ON d.classoid = 'pg_class'::regclass AND i.indexrelid = d.objoid
      LEFT JOIN pg_constraint k ON d.classoid = 'pg_constraint'::regclass AND k.oid = d.objoid
     WHERE d.classoid IN ('pg_class'::regclass, 'pg_constraint'::regclass)
  UNION ALL SELECT objid FROM pg_depend WHERE deptype = 'e' AND classid = 'pg_class'::regclass
) x JOIN pg_class r ON r.oid = x.rel JOIN pg_namespace n ON n.oid = r.relnamespace
WHERE r.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1::text[])
GROUP BY r.oid, n.nspname, r.relname`;

// A catalog row written since transaction id $1 (modulo 2^32; 0–2 are the
// special ids of bootstrap and frozen rows).
const FRESH = `(xmin::text::bigint > 2 AND (xmin::text::bigint - $1::bigint + 4294967296) % 4294967296 < 1073741824)`;
const CLASS = `'pg_class'::regclass::oid`;

/** The relations whose description a transaction may have changed by writing catalog rows (run inside it). */
const TOUCHED_SQL = `
WITH RECURSIVE written(classid, objid) AS (
        SELECT ${CLASS}, oid FROM pg_class WHERE ${FRESH}
  UNION SELECT ${CLASS}, attrelid FROM pg_attribute WHERE ${FRESH}
  UNION SELECT ${CLASS}, indexrelid FROM pg_index WHERE ${FRESH}
  UNION SELECT ${CLASS}, seqrelid FROM pg_sequence WHERE ${FRESH}
  UNION SELECT 'pg_type'::regclass::oid, oid FROM pg_type WHERE ${FRESH}
  UNION SELECT 'pg_proc'::regclass::oid, oid FROM pg_proc WHERE ${FRESH}
  UNION SELECT 'pg_namespace'::regclass::oid, oid FROM pg_namespace WHERE ${FRESH}
  UNION SELECT 'pg_collation'::regclass::oid, oid FROM pg_collation WHERE ${FRESH}
  UNION SELECT 'pg_constraint'::regclass::oid, oid FROM pg_constraint WHERE ${FRESH}
  UNION SELECT 'pg_attrdef'::regclass::oid, oid FROM pg_attrdef WHERE ${FRESH}
  UNION SELECT 'pg_rewrite'::regclass::oid, oid FROM pg_rewrite WHERE ${FRESH}
  UNION SELECT 'pg_trigger'::regclass::oid, oid FROM pg_trigger WHERE ${FRESH}
  UNION SELECT classoid, objoid FROM pg_description WHERE ${FRESH}
  UNION SELECT classid, objid FROM pg_depend WHERE ${FRESH}
),
affected(classid, objid) AS (
    SELECT classid, objid FROM written
  UNION
    SELECT d.classid, d.objid FROM pg_depend d JOIN affected a ON d.refclassid = a.classid AND d.refobjid = a.objid
)
SELECT DISTINCT r.oid::int AS oid FROM affected a CROSS JOIN LATERAL (
    SELECT a.objid AS oid WHERE a.classid = ${CLASS}
  -- an index's table; a sequence's owning table or identity column
  UNION ALL SELECT d.refobjid FROM pg_depend d
   WHERE a.classid = ${CLASS} AND d.classid = ${CLASS} AND d.objid = a.objid AND d.refclassid = ${CLASS} AND d.deptype IN ('a', 'i')
  UNION ALL SELECT c.conrelid FROM pg_constraint c WHERE a.classid = 'pg_constraint'::regclass AND c.oid = a.objid
  UNION ALL SELECT ad.adrelid FROM pg_attrdef ad WHERE a.classid = 'pg_attrdef'::regclass AND ad.oid = a.objid
  UNION ALL SELECT rw.ev_class FROM pg_rewrite rw WHERE a.classid = 'pg_rewrite'::regclass AND rw.oid = a.objid
  UNION ALL SELECT tg.tgrelid FROM pg_trigger tg WHERE a.classid = 'pg_trigger'::regclass AND tg.oid = a.objid
  UNION ALL SELECT t.typrelid FROM pg_type t WHERE a.classid = 'pg_type'::regclass AND t.oid = a.objid AND t.typrelid <> 0
) r`;

/**
 * compareSchemas of two followed schemas. A relation neither step re-read is
 * the same object on both sides and equal by construction, so only the rest is
 * compared (a whole comparison at 600 tables costs ~15 ms, thirty per run).
 */
export function compareFollowed(a: Schema, b: Schema): SchemaDifference[] {
  const inB = new Set<object>([...b.tables, ...b.views]);
  const shared = new Set<object>([...a.tables, ...a.views].filter((x) => inB.has(x)));
  const own = (s: Schema): Schema => ({ ...s, tables: s.tables.filter((t) => !shared.has(t)), views: s.views.filter((v) => !shared.has(v)) });
  return compareSchemas(own(a), own(b));
}
