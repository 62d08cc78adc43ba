import { withDatabase, databaseExists, type CommonOptions, type Project } from "./context.js";
import { loadConfig } from "../config/config.js";
import { buildChain } from "../chain/graph.js";
import type { Db } from "../db/types.js";
import { SluiceError } from "../errors.js";
import { closestNames } from "../names.js";
import { introspect } from "../schema/introspect.js";
import { qualified } from "../schema/compare.js";
import { VERSION_TABLE } from "../runner/version-table.js";
import type { EnumType, ForeignKey, Table, View } from "../schema/types.js";

export interface DescribeOptions extends CommonOptions {
  /** A table or view: `products`, `app.bookings`, `"Mixed Case"`. Absent: list the tables. */
  table?: string;
}

export interface RelationSummary {
  readonly schema: string;
  readonly name: string;
  readonly kind: "table" | "partitioned table" | "view" | "materialized view";
  /** PostgreSQL's estimate from the last ANALYZE (or autovacuum); null when never analyzed. */
  readonly rowEstimate: number | null;
}

export interface DescribeListResult {
  readonly kind: "list";
  readonly database: string;
  readonly schemas: readonly string[];
  readonly relations: readonly RelationSummary[];
}

export interface DescribeTableResult {
  readonly kind: "table";
  readonly database: string;
  readonly table: Table;
  readonly rowEstimate: number | null;
  /** Foreign keys of other tables (or this one) that point at this table. */
  readonly referencedBy: readonly { readonly schema: string; readonly table: string; readonly foreignKey: ForeignKey }[];
  /** The enums this table's columns use, with their values. */
  readonly enums: readonly EnumType[];
  /** Its triggers, by name, as psql's \\d lists them (not yet a Schema object kind). */
  readonly triggers: readonly Trigger[];
}

export interface Trigger {
  readonly name: string;
  /** pg_get_triggerdef: `CREATE TRIGGER … BEFORE UPDATE ON … EXECUTE FUNCTION …`. */
  readonly definition: string;
  /** `origin` (fires normally), `disabled`, `replica` or `always`. */
  readonly enabled: "origin" | "disabled" | "replica" | "always";
}

export interface DescribeViewResult {
  readonly kind: "view";
  readonly database: string;
  readonly view: View;
  readonly enums: readonly EnumType[];
}

export type DescribeResult = DescribeListResult | DescribeTableResult | DescribeViewResult;

/**
 * Sluice's `\d`: one table's columns, keys, indexes, constraints, the foreign
 * keys that point at it and the enums it uses; or, with no table, every
 * table and view with its row estimate.
 *
 * @example
 * const r = await describe({ cwd: "./app", table: "products" });
 * if (r.kind === "table") console.log(r.table.columns.map((c) => `${c.name} ${c.type}`));
 */
export async function describe(opts: DescribeOptions = {}): Promise<DescribeResult> {
  // Describe reads the database only: the migrations folder need not exist, nor be loaded.
  const config = await loadConfig({ cwd: opts.cwd, configPath: opts.config, url: opts.url });
  const project: Project = { config, chain: buildChain([]) };
  const schemas = [...(project.config.config.schemas ?? ["public"])];
  const database = project.config.database.displayUrl;
  const wanted = opts.table === undefined ? undefined : parseRelationName(opts.table);
  if (wanted?.schema && !schemas.includes(wanted.schema)) schemas.push(wanted.schema);
  const exists = databaseExists(project);

  if (!wanted) {
    const relations = exists ? await withDatabase(project, opts, (db) => listRelations(db, schemas)) : [];
    return { kind: "list", database, schemas, relations };
  }
  if (!exists) throw unknownRelation(opts.table!, schemas, [], "The embedded database has not been created yet; run `sluice upgrade` first.");
  return withDatabase(project, opts, async (db) => {
    const relations = await listRelations(db, schemas);
    const found = resolveRelation(wanted, relations);
    if (!found) throw unknownRelation(opts.table!, schemas, relations);
    const referencing = found.kind === "view" || found.kind === "materialized view" ? [] : await referencingTables(db, found);
    const only = [found, ...referencing.filter((r) => r.schema !== found.schema || r.name !== found.name)];
    const schema = await introspect(db, { schemas: [...new Set([...schemas, ...only.map((r) => r.schema)])], only });
    const usedEnums = (types: readonly string[]) => schema.enums.filter((e) => types.some((t) => t.replace(/(\[\])+$/, "") === qualified(e)));

    const view = schema.views.find((v) => v.schema === found.schema && v.name === found.name);
    if (view) return { kind: "view", database, view, enums: usedEnums(view.columns.map((c) => c.type)) };
    const table = schema.tables.find((t) => t.schema === found.schema && t.name === found.name)!;
    const referencedBy = schema.tables.flatMap((t) =>
      t.foreignKeys
        .filter((fk) => fk.references.schema === table.schema && fk.references.table === table.name)
        .map((foreignKey) => ({ schema: t.schema, table: t.name, foreignKey })),
    );
    const triggers = await triggersOf(db, found);
    return { kind: "table", database, table, rowEstimate: found.rowEstimate, referencedBy, enums: usedEnums(table.columns.map((c) => c.type)), triggers };
  });
}

const KINDS: Record<string, RelationSummary["kind"]> = { r: "table", p: "partitioned table", v: "view", m: "materialized view" };

/** Tables and views in `schemas` with their row estimates: one query. */
async function listRelations(db: Db, schemas: readonly string[]): Promise<RelationSummary[]> {
  const r = await db.query<{ schema: string; name: string; relkind: string; rows: number }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS relkind, c.reltuples::float8 AS rows
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm')
        AND NOT (n.nspname = 'public' AND c.relname = $2)
        AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')`,
    [schemas, VERSION_TABLE],
  );
  return r.rows
    .map((row) => ({
      schema: row.schema,
      name: row.name,
      kind: KINDS[row.relkind],
      // Since PostgreSQL 14, -1 means "never analyzed".
      rowEstimate: row.relkind === "v" || row.rows < 0 ? null : Math.round(Number(row.rows)),
    }))
    .sort((a, b) => schemas.indexOf(a.schema) - schemas.indexOf(b.schema) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const TRIGGER_ENABLED: Record<string, Trigger["enabled"]> = { O: "origin", D: "disabled", R: "replica", A: "always" };

/** A table's own triggers (not those behind its constraints): one query. */
async function triggersOf(db: Db, target: { schema: string; name: string }): Promise<Trigger[]> {
  const r = await db.query<{ name: string; definition: string; enabled: string }>(
    `SELECT tg.tgname::text AS name, pg_get_triggerdef(tg.oid) AS definition, tg.tgenabled::text AS enabled
       FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT tg.tgisinternal AND n.nspname = $1 AND c.relname = $2
      ORDER BY 1`,
    [target.schema, target.name],
  );
  return r.rows.map((t) => ({ name: t.name, definition: t.definition, enabled: TRIGGER_ENABLED[t.enabled] ?? "origin" }));
}

/** The tables with a foreign key into `target`: one query. */
async function referencingTables(db: Db, target: { schema: string; name: string }): Promise<{ schema: string; name: string }[]> {
  const r = await db.query<{ schema: string; name: string }>(
    `SELECT DISTINCT n.nspname::text AS schema, c.relname::text AS name
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_class t ON t.oid = con.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
      WHERE con.contype = 'f' AND tn.nspname = $1 AND t.relname = $2`,
    [target.schema, target.name],
  );
  return r.rows;
}

interface RelationName {
  /** The text as given, tried as a name first (names may contain dots). */
  readonly raw: string;
  readonly schema?: string;
  readonly name: string;
  /** Whether the name was quoted ("Mixed Case"), so its case is exact. */
  readonly quoted: boolean;
}

const PART = `("(?:[^"]|"")+"|[^".]+)`;

/** `products`, `app.bookings`, `"Mixed Case"`, `public."Mixed Case"`. */
function parseRelationName(text: string): RelationName {
  const unquote = (p: string) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p);
  const m = new RegExp(`^(?:${PART}\\.)?${PART}$`).exec(text.trim());
  if (!m) return { raw: text, name: text, quoted: false };
  return { raw: text, schema: m[1] === undefined ? undefined : unquote(m[1]), name: unquote(m[2]), quoted: m[2].startsWith('"') };
}

/** The first match in schema order (the list is sorted that way), as the search path would find it. */
function resolveRelation(wanted: RelationName, relations: readonly RelationSummary[]): RelationSummary | undefined {
  const find = (schema: string | undefined, name: string) =>
    relations.find((r) => r.name === name && (schema === undefined || r.schema === schema));
  // Unquoted names fold to lower case, as in SQL; the exact text is tried first.
  return (
    find(undefined, wanted.raw) ??
    find(wanted.schema, wanted.name) ??
    (wanted.quoted ? undefined : find(wanted.schema?.toLowerCase(), wanted.name.toLowerCase()))
  );
}

function unknownRelation(text: string, schemas: readonly string[], relations: readonly RelationSummary[], hint?: string): SluiceError {
  const names = relations.map((r) => (r.schema === schemas[0] ? r.name : `${r.schema}.${r.name}`));
  const closest = closestNames(text, names);
  const where = schemas.length === 1 ? `schema ${schemas[0]}` : `schemas ${schemas.join(", ")}`;
  return new SluiceError("unknown-table", `No table or view named ${JSON.stringify(text)} in ${where}.`, {
    hint:
      hint ??
      (closest.length
        ? `Did you mean ${closest.join(", ")}? Run \`sluice describe\` to list every table.`
        : relations.length
          ? "Run `sluice describe` to list every table."
          : "The database has no tables yet; run `sluice upgrade` to apply the migrations."),
    details: { closest },
  });
}
