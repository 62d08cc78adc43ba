import type { Db } from "../db/types.js";
import { FOREIGN_VERSION_TABLES, VERSION_TABLE, versionTableOf } from "./bookkeeping.js";
import { unqualifyViewDefinition } from "./viewdef.js";
import type {
  CheckConstraint,
  Column,
  EnumType,
  ExclusionConstraint,
  Extension,
  FkAction,
  ForeignKey,
  Index,
  Policy,
  PrimaryKey,
  Role,
  Schema,
  Sequence,
  SequenceOptions,
  Table,
  UniqueConstraint,
  View,
} from "./types.js";

export interface IntrospectOptions {
  /** The schemas to read. Default `["public"]`. */
  schemas?: readonly string[];
  /**
   * Read only these relations (tables and views), e.g. for `sluice describe`.
   * Enums, sequences and extensions are still read whole.
   */
  only?: readonly { readonly schema: string; readonly name: string }[];
  /** Roles to read (those a model declares); none by default, since roles belong to the whole server. */
  roles?: readonly string[];
}

/**
 * Reads a database's structure into a Schema with a fixed number of
 * set-based catalog queries, whatever the number of tables.
 *
 * @example
 * const db = await openDatabase(parseDatabaseUrl("pglite:.sluice/pglite", process.cwd())!);
 * const schema = await introspect(db, { schemas: ["public"] });
 * console.log(schema.tables.map((t) => t.name));
 */
export async function introspect(db: Db, options: IntrospectOptions = {}): Promise<Schema> {
  const schemas = [...new Set(options.schemas ?? ["public"])];

  const head = await db.query<{ previous: string; version: number; schemas: string[]; extensions: Extension[] | null }>(
    `SELECT current_setting('search_path') AS previous, current_setting('server_version_num')::int AS version,
            ARRAY(SELECT nspname::text FROM pg_namespace WHERE nspname = ANY($1::text[])) AS schemas,
            (SELECT json_agg(json_build_object('name', e.extname, 'schema', n.nspname, 'version', e.extversion))
               FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
              WHERE e.extname <> 'plpgsql') AS extensions`,
    [schemas],
  );
  const { previous } = head.rows[0];
  // The formatting functions qualify names that are not on the search path;
  // one fixed path makes their output independent of the session's setting.
  await db.query("SELECT set_config('search_path', 'public', false)");
  try {
    const params = [schemas, options.only?.map((r) => r.schema) ?? null, options.only?.map((r) => r.name) ?? null];
    const [enums, sequences, relations, columns, constraints, indexes, policies, roles] = [
      await db.query<EnumRow>(ENUMS_SQL, [schemas]),
      await db.query<SequenceRow>(SEQUENCES_SQL, [schemas]),
      await db.query<RelationRow>(RELATIONS_SQL, params),
      await db.query<ColumnRow>(COLUMNS_SQL, params),
      await db.query<ConstraintRow>(CONSTRAINTS_SQL, params),
      await db.query<IndexRow>(INDEXES_SQL, params),
      await db.query<PolicyRow>(POLICIES_SQL, params),
      await introspectRoles(db, options.roles ?? []),
    ];
    if (head.rows[0].version < 160000) {
      for (const r of relations.rows) if (r.view_definition) r.view_definition = await unqualifyViewDefinition(r.view_definition);
    }
    // A version table configured elsewhere than public.sluice_version is left out too.
    const own = versionTableOf(db);
    const notOwn = (r: { schema: string; table?: string; name: string }) => !(r.schema === own.schema && (r.table ?? r.name) === own.name);
    return assemble({
      schemas: head.rows[0].schemas,
      extensions: head.rows[0].extensions ?? [],
      enums: enums.rows,
      sequences: sequences.rows,
      relations: relations.rows.filter(notOwn),
      columns: columns.rows.filter(notOwn),
      constraints: constraints.rows.filter(notOwn),
      indexes: indexes.rows.filter(notOwn),
      policies: policies.rows.filter(notOwn),
      roles,
    });
  } finally {
    await db.query("SELECT set_config('search_path', $1, false)", [previous]);
  }
}

// ---------------------------------------------------------------------------
// The catalog queries. `rel` is every relation Sluice describes: tables, views
// and materialized views in the chosen schemas, minus extension members and
// the version table. $1 = schemas, $2 = only ("schema.name" keys) or null.

const NOT_EXTENSION_MEMBER = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${catalog}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;

const REL_CTE = `rel AS (
  SELECT c.oid, n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS relkind
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = ANY($1::text[])
     AND c.relkind IN ('r', 'p', 'v', 'm')
     AND NOT (n.nspname = 'public' AND c.relname IN (${[VERSION_TABLE, ...FOREIGN_VERSION_TABLES].map((t) => `'${t}'`).join(", ")}))
     AND ($2::text[] IS NULL OR (n.nspname, c.relname) IN (SELECT * FROM unnest($2::text[], $3::text[])))
     AND ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}
)`;

const DESCRIPTION = (alias: string, catalog: string, oid: string, sub = "0") =>
  `LEFT JOIN pg_description ${alias} ON ${alias}.classoid = '${catalog}'::regclass AND ${alias}.objoid = ${oid} AND ${alias}.objsubid = ${sub}`;

interface EnumRow {
  schema: string;
  name: string;
  values: string[];
  comment: string | null;
}
const ENUMS_SQL = `
SELECT n.nspname::text AS schema, t.typname::text AS name,
       ARRAY(SELECT v.enumlabel::text FROM pg_enum v WHERE v.enumtypid = t.oid ORDER BY v.enumsortorder) AS values,
       d.description AS comment
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  ${DESCRIPTION("d", "pg_type", "t.oid")}
 WHERE t.typtype = 'e' AND n.nspname = ANY($1::text[]) AND ${NOT_EXTENSION_MEMBER("pg_type", "t.oid")}`;

interface SequenceRow {
  schema: string;
  name: string;
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle: boolean;
  /** 'a' owned by a column (serial, OWNED BY), 'i' an identity column's. */
  owner_kind: string | null;
  owner_schema: string | null;
  owner_table: string | null;
  owner_column: string | null;
  comment: string | null;
}
const SEQUENCES_SQL = `
SELECT n.nspname::text AS schema, c.relname::text AS name, format_type(s.seqtypid, NULL) AS type,
       s.seqstart::text AS start, s.seqincrement::text AS increment, s.seqmin::text AS min,
       s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
       o.deptype::text AS owner_kind, o.schema AS owner_schema, o.tbl AS owner_table, o.col AS owner_column,
       d.description AS comment
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN LATERAL (
    SELECT dep.deptype, tn.nspname::text AS schema, t.relname::text AS tbl, a.attname::text AS col
      FROM pg_depend dep
      JOIN pg_class t ON t.oid = dep.refobjid
      JOIN pg_namespace tn ON tn.oid = t.relnamespace
      JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
     WHERE dep.classid = 'pg_class'::regclass AND dep.objid = c.oid
       AND dep.refclassid = 'pg_class'::regclass AND dep.refobjsubid > 0 AND dep.deptype IN ('a', 'i')
     LIMIT 1
  ) o ON true
  ${DESCRIPTION("d", "pg_class", "c.oid")}
 WHERE c.relkind = 'S' AND n.nspname = ANY($1::text[]) AND ${NOT_EXTENSION_MEMBER("pg_class", "c.oid")}`;

interface RelationRow {
  schema: string;
  name: string;
  relkind: string;
  partition_by: string | null;
  view_definition: string | null;
  rls: boolean;
  rls_forced: boolean;
  comment: string | null;
  reads: { schema: string; name: string; columns: string[] | null }[] | null;
}
const RELATIONS_SQL = `
WITH ${REL_CTE}
SELECT r.schema, r.name, r.relkind,
       CASE WHEN r.relkind = 'p' THEN pg_get_partkeydef(r.oid) END AS partition_by,
       CASE WHEN r.relkind IN ('v', 'm') THEN pg_get_viewdef(r.oid, true) END AS view_definition,
       c.relrowsecurity AS rls, c.relforcerowsecurity AS rls_forced,
       d.description AS comment,
       CASE WHEN r.relkind IN ('v', 'm') THEN (
         SELECT json_agg(json_build_object('schema', x.schema, 'name', x.name, 'columns', x.columns) ORDER BY x.schema COLLATE "C", x.name COLLATE "C")
           FROM (SELECT rn.nspname::text AS schema, rc.relname::text AS name,
                        array_agg(DISTINCT a.attname::text COLLATE "C" ORDER BY a.attname::text COLLATE "C") FILTER (WHERE a.attname IS NOT NULL) AS columns
                   FROM pg_rewrite rw
                   JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
                                     AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid <> r.oid
                   JOIN pg_class rc ON rc.oid = dep.refobjid
                   JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                   LEFT JOIN pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid AND dep.refobjsubid > 0
                  WHERE rw.ev_class = r.oid
                  GROUP BY 1, 2) x) END AS reads
  FROM rel r
  JOIN pg_class c ON c.oid = r.oid
  ${DESCRIPTION("d", "pg_class", "r.oid")}`;

interface ColumnRow {
  schema: string;
  table: string;
  name: string;
  type: string;
  not_null: boolean;
  default: string | null;
  identity: string;
  generated: string;
  collation: string | null;
  comment: string | null;
}
const COLUMNS_SQL = `
WITH ${REL_CTE}
SELECT r.schema, r.name AS table, a.attname::text AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null,
       pg_get_expr(ad.adbin, ad.adrelid, true) AS default,
       a.attidentity::text AS identity,
       a.attgenerated::text AS generated,
       CASE WHEN a.attcollation <> t.typcollation THEN
         CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
              ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END
       END AS collation,
       d.description AS comment
  FROM rel r
  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  LEFT JOIN pg_collation co ON co.oid = a.attcollation
  LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
  ${DESCRIPTION("d", "pg_class", "r.oid", "a.attnum")}
 ORDER BY r.schema, r.name, a.attnum`;

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  type: "p" | "f" | "u" | "c" | "x";
  columns: string[];
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
  on_delete: string;
  on_update: string;
  match: string;
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  no_inherit: boolean;
  nulls_not_distinct: boolean | null;
  definition: string;
  comment: string | null;
}
/** Attribute names of `keys` (an int2[] of `relid`), in key order. */
const ATTNAMES = (relid: string, keys: string) =>
  `ARRAY(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = ${relid} AND a.attnum = k.attnum ORDER BY k.ord)`;
// NOT NULL is read from pg_attribute.attnotnull; PostgreSQL 18 also records it
// as a constraint (contype 'n'), which the contype filter leaves out.
const CONSTRAINTS_SQL = `
WITH ${REL_CTE}
SELECT r.schema, r.name AS table, con.conname::text AS name, con.contype::text AS type,
       ${ATTNAMES("con.conrelid", "con.conkey")} AS columns,
       rn.nspname::text AS ref_schema, rc.relname::text AS ref_table,
       CASE WHEN con.contype = 'f' THEN ${ATTNAMES("con.confrelid", "con.confkey")} END AS ref_columns,
       con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update, con.confmatchtype::text AS match,
       con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
       con.connoinherit AS no_inherit, ix.indnullsnotdistinct AS nulls_not_distinct,
       pg_get_constraintdef(con.oid, true) AS definition,
       d.description AS comment
  FROM rel r
  JOIN pg_constraint con ON con.conrelid = r.oid AND con.contype IN ('p', 'f', 'u', 'c', 'x')
  LEFT JOIN pg_class rc ON rc.oid = con.confrelid AND con.contype = 'f'
  LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
  LEFT JOIN pg_index ix ON ix.indexrelid = con.conindid AND con.contype = 'u'
  ${DESCRIPTION("d", "pg_constraint", "con.oid")}`;

interface IndexRow {
  schema: string;
  table: string;
  name: string;
  unique: boolean;
  method: string;
  key_count: number;
  /** Each key and INCLUDE column's name, or its expression as PostgreSQL prints it. */
  keys: string[];
  /** The same positions' column numbers; 0 for an expression. */
  attnums: number[];
  where: string | null;
  nulls_not_distinct: boolean;
  valid: boolean;
  definition: string;
  comment: string | null;
}
// Indexes that back a primary key, unique or exclusion constraint are part
// of that constraint and left out here.
const INDEXES_SQL = `
WITH ${REL_CTE}
SELECT r.schema, r.name AS table, i.relname::text AS name, x.indisunique AS unique, am.amname::text AS method,
       x.indnkeyatts::int AS key_count,
       ARRAY(SELECT CASE WHEN k.attnum = 0 THEN pg_get_indexdef(x.indexrelid, k.ord::int, true) ELSE a.attname::text END
               FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
              ORDER BY k.ord) AS keys,
       x.indkey::int2[] AS attnums,
       pg_get_expr(x.indpred, x.indrelid, true) AS where,
       x.indnullsnotdistinct AS nulls_not_distinct, x.indisvalid AS valid,
       pg_get_indexdef(x.indexrelid) AS definition,
       d.description AS comment
  FROM rel r
  JOIN pg_index x ON x.indrelid = r.oid
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_am am ON am.oid = i.relam
  ${DESCRIPTION("d", "pg_class", "i.oid")}
 WHERE NOT EXISTS (SELECT 1 FROM pg_constraint con
                    WHERE con.conrelid = x.indrelid AND con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x'))`;

interface PolicyRow {
  schema: string;
  table: string;
  name: string;
  permissive: boolean;
  command: string;
  roles: string[];
  using: string | null;
  with_check: string | null;
}
const POLICIES_SQL = `
WITH ${REL_CTE}
SELECT r.schema, r.name AS table, p.polname::text AS name, p.polpermissive AS permissive, p.polcmd::text AS command,
       ARRAY(SELECT CASE WHEN o = 0 THEN 'public' ELSE pg_get_userbyid(o)::text END FROM unnest(p.polroles) AS o ORDER BY 1) AS roles,
       pg_get_expr(p.polqual, p.polrelid, true) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid, true) AS with_check
  FROM rel r JOIN pg_policy p ON p.polrelid = r.oid`;

/** The roles among `names` that exist on the server, in name order (roles belong to the whole server, not one database). */
export async function introspectRoles(db: Db, names: readonly string[]): Promise<Role[]> {
  if (!names.length) return [];
  return (await db.query<Role>(ROLES_SQL, [names])).rows.map((r) => ({ name: r.name, createDb: r.createDb, createRole: r.createRole, inherit: r.inherit }));
}

const ROLES_SQL = `
SELECT rolname::text AS name, rolcreatedb AS "createDb", rolcreaterole AS "createRole", rolinherit AS inherit
  FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY 1`;

const POLICY_COMMANDS: Record<string, Policy["command"]> = { "*": "all", r: "select", a: "insert", w: "update", d: "delete" };

function toPolicy(p: PolicyRow): Policy {
  return {
    name: p.name,
    permissive: p.permissive,
    command: POLICY_COMMANDS[p.command] ?? "all",
    roles: [...p.roles].sort(byText),
    using: p.using,
    withCheck: p.with_check,
  };
}

// ---------------------------------------------------------------------------
// Rows → Schema.

function relKey(schema: string, name: string): string {
  return `${schema}.${name}`;
}

/** Code-point order, the same on every server whatever its collation. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
const byName = <T extends { name: string }>(a: T, b: T) => byText(a.name, b.name);
export const bySchemaName = <T extends { schema: string; name: string }>(a: T, b: T) => byText(a.schema, b.schema) || byText(a.name, b.name);

const FK_ACTIONS: Record<string, FkAction> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };
const FK_MATCH: Record<string, ForeignKey["match"]> = { s: "simple", f: "full", p: "partial" };

function sequenceOptions(r: SequenceRow): SequenceOptions {
  return { type: r.type, start: r.start, increment: r.increment, min: r.min, max: r.max, cache: r.cache, cycle: r.cycle };
}

interface Rows {
  schemas: string[];
  extensions: Extension[];
  enums: EnumRow[];
  sequences: SequenceRow[];
  relations: RelationRow[];
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  policies: PolicyRow[];
  roles: Role[];
}

function assemble(rows: Rows): Schema {
  const identities = new Map<string, SequenceOptions>();
  const sequences: Sequence[] = [];
  for (const s of rows.sequences) {
    if (s.owner_kind === "i") {
      identities.set(`${relKey(s.owner_schema!, s.owner_table!)}\u0000${s.owner_column}`, sequenceOptions(s));
      continue;
    }
    sequences.push({
      schema: s.schema,
      name: s.name,
      ...sequenceOptions(s),
      ownedBy: s.owner_kind === "a" ? { schema: s.owner_schema!, table: s.owner_table!, column: s.owner_column! } : null,
      comment: s.comment,
    });
  }

  const columnsOf = groupBy(rows.columns, (c) => relKey(c.schema, c.table));
  const constraintsOf = groupBy(rows.constraints, (c) => relKey(c.schema, c.table));
  const indexesOf = groupBy(rows.indexes, (i) => relKey(i.schema, i.table));
  const policiesOf = groupBy(rows.policies, (p) => relKey(p.schema, p.table));

  const tables: Table[] = [];
  const views: View[] = [];
  for (const rel of rows.relations) {
    const key = relKey(rel.schema, rel.name);
    const columnRows = columnsOf.get(key) ?? [];
    const indexes = (indexesOf.get(key) ?? []).map(toIndex).sort(byName);
    if (rel.relkind === "v" || rel.relkind === "m") {
      views.push({
        schema: rel.schema,
        name: rel.name,
        materialized: rel.relkind === "m",
        definition: rel.view_definition ?? "",
        columns: columnRows.map((c) => ({ name: c.name, type: c.type })),
        indexes,
        comment: rel.comment,
        reads: (rel.reads ?? []).map((x) => ({ schema: x.schema, name: x.name, columns: x.columns ?? [] })),
      });
      continue;
    }
    const cons = constraintsOf.get(key) ?? [];
    const pk = cons.find((c) => c.type === "p");
    tables.push({
      schema: rel.schema,
      name: rel.name,
      kind: rel.relkind === "p" ? "partitioned" : "table",
      partitionBy: rel.partition_by,
      columns: columnRows.map((c) => toColumn(c, identities.get(`${key}\u0000${c.name}`))),
      primaryKey: pk ? toPrimaryKey(pk) : null,
      foreignKeys: cons.filter((c) => c.type === "f").map(toForeignKey).sort(byName),
      uniques: cons.filter((c) => c.type === "u").map(toUnique).sort(byName),
      checks: cons.filter((c) => c.type === "c").map(toCheck).sort(byName),
      exclusions: cons.filter((c) => c.type === "x").map(toExclusion).sort(byName),
      indexes,
      rowSecurity: { enabled: rel.rls, forced: rel.rls_forced },
      policies: (policiesOf.get(key) ?? []).map(toPolicy).sort(byName),
      comment: rel.comment,
    });
  }

  return {
    schemas: [...rows.schemas].sort(byText),
    extensions: rows.extensions.map((e) => ({ name: e.name, schema: e.schema, version: e.version })).sort(byName),
    enums: rows.enums.map((e): EnumType => ({ schema: e.schema, name: e.name, values: e.values, comment: e.comment })).sort(bySchemaName),
    sequences: sequences.sort(bySchemaName),
    tables: tables.sort(bySchemaName),
    views: views.sort(bySchemaName),
    roles: rows.roles,
  };
}

function toColumn(c: ColumnRow, identity: SequenceOptions | undefined): Column {
  const generated = c.generated === "s" || c.generated === "v";
  return {
    name: c.name,
    type: c.type,
    nullable: !c.not_null,
    default: generated ? null : c.default,
    identity: c.identity && identity ? { generation: c.identity === "a" ? "always" : "by default", ...identity } : null,
    generated: generated ? { expression: c.default ?? "", kind: c.generated === "s" ? "stored" : "virtual" } : null,
    collation: c.collation,
    comment: c.comment,
  };
}

const timing = (c: ConstraintRow) => ({ deferrable: c.deferrable, initiallyDeferred: c.deferred });

function toPrimaryKey(c: ConstraintRow): PrimaryKey {
  return { name: c.name, columns: c.columns, ...timing(c), comment: c.comment };
}

function toForeignKey(c: ConstraintRow): ForeignKey {
  return {
    name: c.name,
    columns: c.columns,
    references: { schema: c.ref_schema!, table: c.ref_table!, columns: c.ref_columns ?? [] },
    onDelete: FK_ACTIONS[c.on_delete] ?? "no action",
    onUpdate: FK_ACTIONS[c.on_update] ?? "no action",
    match: FK_MATCH[c.match] ?? "simple",
    ...timing(c),
    validated: c.validated,
    definition: c.definition,
    comment: c.comment,
  };
}

function toUnique(c: ConstraintRow): UniqueConstraint {
  return { name: c.name, columns: c.columns, nullsNotDistinct: !!c.nulls_not_distinct, ...timing(c), definition: c.definition, comment: c.comment };
}

function toCheck(c: ConstraintRow): CheckConstraint {
  return { name: c.name, definition: c.definition, validated: c.validated, noInherit: c.no_inherit, comment: c.comment };
}

function toExclusion(c: ConstraintRow): ExclusionConstraint {
  return { name: c.name, definition: c.definition, ...timing(c), comment: c.comment };
}

function toIndex(i: IndexRow): Index {
  const keys = i.keys.map((def, k) => (Number(i.attnums[k]) === 0 ? { expression: def } : { column: def }));
  return {
    name: i.name,
    unique: i.unique,
    method: i.method,
    columns: keys.slice(0, i.key_count),
    // INCLUDE entries are always plain columns.
    include: i.keys.slice(i.key_count),
    where: i.where,
    nullsNotDistinct: i.nulls_not_distinct,
    valid: i.valid,
    definition: i.definition,
    comment: i.comment,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
