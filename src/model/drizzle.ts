import { quoteIdent, quoteLiteral } from "../ops/quote.js";

type DrizzleOrm = typeof import("drizzle-orm");
type PgCore = typeof import("drizzle-orm/pg-core");
type CasingModule = typeof import("drizzle-orm/casing");
type PgTable = import("drizzle-orm/pg-core").PgTable;
type PgColumn = import("drizzle-orm/pg-core").PgColumn;
type PgEnum = import("drizzle-orm/pg-core").PgEnum<[string, ...string[]]>;
type SQL = import("drizzle-orm").SQL;

export interface DrizzleDdlOptions {
  /** The `casing` given to `drizzle()`: column names derived from property keys. */
  casing?: "snake_case" | "camelCase";
}

interface Drizzle {
  orm: DrizzleOrm;
  core: PgCore;
  casing: CasingModule;
}

/** What `loadDrizzle` returns; opaque in Sluice's type declarations, which must compile where drizzle-orm is not installed. */
export interface DrizzleModules {
  readonly orm: object;
  readonly core: object;
  readonly casing: object;
}

/** Drizzle is an optional peer dependency: load it from the user's project only when a model needs it. */
export async function loadDrizzle(): Promise<DrizzleModules> {
  const [orm, core, casing] = await Promise.all([import("drizzle-orm"), import("drizzle-orm/pg-core"), import("drizzle-orm/casing")]);
  return { orm, core, casing };
}

/**
 * Compiles the tables, enums, sequences and schemas a Drizzle (pg-core)
 * module exports into the DDL that creates them, read through Drizzle's own
 * table configuration (`getTableConfig`), in dependency order: schemas,
 * enums, sequences, tables, foreign keys, indexes.
 *
 * Names follow Drizzle Kit's defaults where Drizzle leaves them open
 * (`<table>_<column>_unique`, `<table>_<columns>_index`, `<table>_<columns>_pk`),
 * so a database Drizzle Kit created compares equal.
 *
 * @example
 * const ddl = drizzleToDdl(await import("./src/db/schema.ts"), await loadDrizzle());
 */
export function drizzleToDdl(exports: Record<string, unknown>, drizzle: DrizzleModules, options: DrizzleDdlOptions = {}): string[] {
  return ddlStatements(compileDrizzle(exports, drizzle, options));
}

/** One table of a model and the DDL that makes it, apart from the objects it uses. */
export interface ModelTable {
  /** `schema.name`. */
  readonly key: string;
  readonly create: string;
  readonly foreignKeys: readonly string[];
  readonly indexes: readonly string[];
  /** Keys of the tables its foreign keys reference. */
  readonly references: readonly string[];
  /** The preamble's statements creating the enums its columns are typed with, or its SQL text names. */
  readonly enums: readonly string[];
}

/** A model's DDL in parts: what every table may use (schemas, enums, sequences), then table by table. */
export interface ModelParts {
  readonly preamble: readonly string[];
  readonly tables: readonly ModelTable[];
}

/** The statements of `parts` in dependency order: the preamble, every table, then foreign keys and indexes. */
export function ddlStatements(parts: ModelParts): string[] {
  return [...parts.preamble, ...parts.tables.map((t) => t.create), ...parts.tables.flatMap((t) => [...t.foreignKeys, ...t.indexes])];
}

/** `drizzleToDdl`, table by table. */
export function compileDrizzle(exports: Record<string, unknown>, modules: DrizzleModules, options: DrizzleDdlOptions = {}): ModelParts {
  const drizzle = modules as Drizzle;
  const { orm, core } = drizzle;
  const dialect = new core.PgDialect(options.casing ? { casing: options.casing } : {});
  const casing = new drizzle.casing.CasingCache(options.casing);
  const columnName = (c: PgColumn) => casing.getColumnCasing(c);

  const values = [...new Set(Object.values(exports).filter((v) => v !== null && (typeof v === "object" || typeof v === "function")))];
  const tables = values.filter((v): v is PgTable => orm.is(v, core.PgTable));
  const enums = values.filter((v): v is PgEnum => core.isPgEnum(v));
  const sequences = values.filter((v) => core.isPgSequence(v)) as import("drizzle-orm/pg-core").PgSequence[];
  const schemas = new Set<string>();
  for (const v of values) if (core.isPgSchema(v) && v.schemaName !== "public") schemas.add(v.schemaName);

  /** Renders Drizzle SQL with its parameters inlined as literals. */
  const sqlText = (chunk: SQL, source?: "indexes"): string => {
    const q = dialect.sqlToQuery(chunk, source);
    return q.sql.replace(/\$(\d+)/g, (_m, n: string) => literal(q.params[Number(n) - 1]));
  };
  const qualified = (schema: string | undefined, name: string) =>
    schema && schema !== "public" ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
  const enumNames = new Map<string, string>();
  for (const e of enums) enumNames.set(e.enumName, qualified(e.schema, e.enumName));

  const preamble: string[] = [];
  const modelTables: ModelTable[] = [];
  const tableConfigs = tables.map((t) => core.getTableConfig(t));
  for (const t of tableConfigs) if (t.schema && t.schema !== "public") schemas.add(t.schema);
  for (const e of enums) if (e.schema && e.schema !== "public") schemas.add(e.schema);
  for (const s of [...schemas].sort()) preamble.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(s)}`);
  const enumStatements = new Map<string, string>();
  for (const e of enums) {
    const statement = `CREATE TYPE ${qualified(e.schema, e.enumName)} AS ENUM (${e.enumValues.map(quoteLiteral).join(", ")})`;
    enumStatements.set(qualified(e.schema, e.enumName), statement);
    preamble.push(statement);
  }
  for (const s of sequences) preamble.push(`CREATE SEQUENCE ${qualified(s.schema, s.seqName!)}${sequenceOptions(s.seqOptions)}`);

  for (const t of tableConfigs) {
    const table = qualified(t.schema, t.name);
    const defs: string[] = [];
    const usedEnums = new Set<string>();
    for (const c of t.columns) {
      const type = columnType(c, enumNames);
      const enumStatement = enumStatements.get(type.replace(/(\[\d*\])+$/, ""));
      if (enumStatement) usedEnums.add(enumStatement);
      const parts = [quoteIdent(columnName(c)), type];
      const identity = c.generatedIdentity;
      if (identity) {
        parts.push(`GENERATED ${identity.type === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${identityOptions(identity)}`);
      }
      if (c.generated) {
        const as = typeof c.generated.as === "function" ? (c.generated.as as () => SQL)() : c.generated.as;
        parts.push(`GENERATED ALWAYS AS (${orm.is(as, orm.SQL) ? sqlText(as as SQL) : literal(as)}) STORED`);
      }
      if (c.default !== undefined) {
        parts.push(`DEFAULT ${orm.is(c.default, orm.SQL) ? sqlText(c.default as SQL) : literal(c.mapToDriverValue(c.default))}`);
      }
      if (c.primary) parts.push("PRIMARY KEY");
      if (c.notNull && !c.primary) parts.push("NOT NULL");
      if (c.isUnique) {
        const name = c.uniqueName ?? `${t.name}_${columnName(c)}_unique`;
        parts.push(`CONSTRAINT ${quoteIdent(name)} UNIQUE${c.uniqueType === "not distinct" ? " NULLS NOT DISTINCT" : ""}`);
      }
      defs.push(parts.join(" "));
    }
    for (const pk of t.primaryKeys) {
      const name = pk.name ?? `${t.name}_${pk.columns.map(columnName).join("_")}_pk`;
      defs.push(`CONSTRAINT ${quoteIdent(name)} PRIMARY KEY (${pk.columns.map((c) => quoteIdent(columnName(c))).join(", ")})`);
    }
    for (const u of t.uniqueConstraints) {
      const name = u.name ?? `${t.name}_${u.columns.map(columnName).join("_")}_unique`;
      defs.push(
        `CONSTRAINT ${quoteIdent(name)} UNIQUE${u.nullsNotDistinct ? " NULLS NOT DISTINCT" : ""} (${u.columns.map((c) => quoteIdent(columnName(c))).join(", ")})`,
      );
    }
    for (const ch of t.checks) defs.push(`CONSTRAINT ${quoteIdent(ch.name)} CHECK (${sqlText(ch.value)})`);
    const create = `CREATE TABLE ${table} (\n  ${defs.join(",\n  ")}\n)`;
    const foreignKeys: string[] = [];
    const indexes: string[] = [];
    const references = new Set<string>();

    for (const fk of t.foreignKeys) {
      const ref = fk.reference();
      const target = core.getTableConfig(ref.foreignTable);
      const cols = ref.columns.map(columnName);
      const refCols = ref.foreignColumns.map(columnName);
      const name = ref.name ?? `${t.name}_${cols.join("_")}_${target.name}_${refCols.join("_")}_fk`;
      let sql = `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${cols.map(quoteIdent).join(", ")}) REFERENCES ${qualified(target.schema, target.name)} (${refCols.map(quoteIdent).join(", ")})`;
      if (fk.onDelete) sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
      if (fk.onUpdate) sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
      foreignKeys.push(sql);
      references.add(`${target.schema ?? "public"}.${target.name}`);
    }
    for (const ix of t.indexes) {
      const cfg = ix.config;
      const keys = cfg.columns.map((k) => {
        if (orm.is(k, orm.SQL)) return `(${sqlText(k as SQL, "indexes")})`;
        const col = k as import("drizzle-orm/pg-core").IndexedColumn;
        const name = col.keyAsName && options.casing ? casing.getColumnCasing({ name: col.name, keyAsName: true } as never) : col.name!;
        let key = quoteIdent(name);
        if (col.indexConfig?.opClass) key += ` ${col.indexConfig.opClass}`;
        if (col.indexConfig?.order === "desc") key += " DESC";
        if (col.indexConfig?.nulls) key += ` NULLS ${col.indexConfig.nulls.toUpperCase()}`;
        return key;
      });
      let name = cfg.name;
      if (!name) {
        const columnNames = cfg.columns.map((k) => (orm.is(k, orm.SQL) ? undefined : (k as { name?: string }).name));
        if (columnNames.some((n) => n === undefined)) {
          throw new Error(`An index on ${t.name} over an expression has no name; give it one: index("name").on(…).`);
        }
        name = `${t.name}_${columnNames.join("_")}_index`;
      }
      let sql = `CREATE ${cfg.unique ? "UNIQUE " : ""}INDEX ${quoteIdent(name)} ON ${cfg.only ? "ONLY " : ""}${table}`;
      if (cfg.method && cfg.method !== "btree") sql += ` USING ${cfg.method}`;
      sql += ` (${keys.join(", ")})`;
      if (cfg.with && Object.keys(cfg.with).length) {
        sql += ` WITH (${Object.entries(cfg.with).map(([k, v]) => `${k} = ${typeof v === "string" ? quoteLiteral(v) : String(v)}`).join(", ")})`;
      }
      if (cfg.where) sql += ` WHERE ${sqlText(cfg.where)}`;
      indexes.push(sql);
    }
    // An enum named only in SQL text (a CHECK, a default, an index's WHERE with a cast) counts too: a
    // table whose text mentions its name is compiled again when the enum changes.
    const text = `${create}\n${indexes.join("\n")}`.toLowerCase();
    for (const e of enums) {
      const statement = enumStatements.get(qualified(e.schema, e.enumName))!;
      if (!usedEnums.has(statement) && mentions(text, e.enumName.toLowerCase())) usedEnums.add(statement);
    }
    modelTables.push({ key: `${t.schema ?? "public"}.${t.name}`, create, foreignKeys, indexes, references: [...references], enums: [...usedEnums] });
  }
  return { preamble, tables: modelTables };
}

/** Whether lower-cased SQL text names `name` as a whole word (a false match only costs a recompile). */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1] ?? " ";
    const after = text[at + name.length] ?? " ";
    if (!/[a-z0-9_$]/.test(before) && !/[a-z0-9_$]/.test(after)) return true;
  }
  return false;
}

/** A column's SQL type as Drizzle declares it; enum names are quoted and schema-qualified. */
function columnType(c: PgColumn, enumNames: Map<string, string>): string {
  const type = c.getSQLType();
  const m = /^(.*?)((?:\[\d*\])*)$/.exec(type)!;
  const base = m[1];
  const enumName = enumNames.get(base) ?? enumNames.get(base.replace(/^"(.*)"$/, "$1"));
  return enumName ? `${enumName}${m[2]}` : type;
}

/** A JavaScript value as an SQL literal (strings quoted, numbers and booleans as written). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  if (typeof value === "object") return quoteLiteral(JSON.stringify(value));
  return quoteLiteral(String(value));
}

interface SequenceOptionsLike {
  increment?: number | string;
  minValue?: number | string;
  maxValue?: number | string;
  startWith?: number | string;
  cache?: number | string;
  cycle?: boolean;
}

function sequenceOptions(o: SequenceOptionsLike | undefined): string {
  if (!o) return "";
  const parts: string[] = [];
  if (o.increment !== undefined) parts.push(`INCREMENT BY ${o.increment}`);
  if (o.minValue !== undefined) parts.push(`MINVALUE ${o.minValue}`);
  if (o.maxValue !== undefined) parts.push(`MAXVALUE ${o.maxValue}`);
  if (o.startWith !== undefined) parts.push(`START WITH ${o.startWith}`);
  if (o.cache !== undefined) parts.push(`CACHE ${o.cache}`);
  if (o.cycle) parts.push("CYCLE");
  return parts.length ? ` ${parts.join(" ")}` : "";
}

function identityOptions(identity: { sequenceName?: string; sequenceOptions?: SequenceOptionsLike }): string {
  const inner = sequenceOptions(identity.sequenceOptions).trim();
  const name = identity.sequenceName ? `SEQUENCE NAME ${quoteIdent(identity.sequenceName)}` : "";
  const all = [name, inner].filter(Boolean).join(" ");
  return all ? ` (${all})` : "";
}
