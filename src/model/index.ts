import fs from "node:fs";
import path from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import type { Db } from "../db/types.js";
import { pgErrorInfo } from "../db/types.js";
import { ConfigError, DatabaseError, SluiceError, firstLine } from "../errors.js";
import { quoteIdent } from "../ops/quote.js";
import { introspect } from "../schema/introspect.js";
import { splitStatements } from "../sql/parse.js";
import { createdExtensions } from "../sql/extensions.js";
import type { Schema } from "../schema/types.js";
import { planCompile } from "./cache.js";
import { loadModelModule } from "./load.js";
import { compileDrizzle, DrizzleKitRejected, loadDrizzleKit, type DrizzleDdlOptions, type ModelParts } from "./drizzle.js";
import { openScratch, type ScratchTarget } from "./scratch.js";
import { pgliteLacks } from "../db/pglite.js";
import { loadSqlModel } from "./sql.js";
import { SLUICE_VERSION } from "../version.js";
import { projectPath } from "../paths.js";

export { openScratch, type ScratchTarget, type Scratch } from "./scratch.js";
export { drizzleToDdl, loadDrizzleKit, type DrizzleKit } from "./drizzle.js";

/** The `schema` key of sluice.config.ts: where the application's model is. */
export interface ModelConfig {
  /** A Drizzle ORM (pg-core) module: every exported table, enum, sequence and schema. */
  drizzle?: string;
  /** A `schema.sql`: any DDL PostgreSQL accepts. */
  sql?: string;
  /** The `casing` given to `drizzle()`, when column names come from property keys. */
  casing?: DrizzleDdlOptions["casing"];
}

/** A model compiled to DDL, not yet applied anywhere. */
export interface Model {
  readonly kind: "drizzle" | "sql";
  /** Relative to the project root. */
  readonly file: string;
  /** For a schema.sql, its statements; for a Drizzle model, none (see `parts`). */
  readonly statements: readonly string[];
  /** For a Drizzle model, its DDL table by table, as Drizzle Kit writes it (so unchanged tables can come from the cache). */
  readonly parts?: ModelParts;
  /** The Drizzle Kit version that compiled it. */
  readonly drizzleKit?: string;
  /** What the model declares that Sluice does not manage yet: `policy p on public.t`, `role admin`. Never applied, never dropped. */
  readonly notManaged: readonly string[];
  /** For a schema.sql, the roles it creates: not applied as written (a role outlives the scratch database), but present while it compiles. */
  readonly sqlRoles?: readonly string[];
  /** Objects the model names as existing (`pgView(…).existing()`): left alone, neither created nor dropped. */
  readonly leftAlone: readonly { readonly kind: "view"; readonly schema: string; readonly name: string }[];
}

/** Reads the configured model source and compiles it to DDL statements. */
export async function loadModel(config: ResolvedConfig): Promise<Model> {
  const source = config.config.schema as ModelConfig | undefined;
  const configName = path.basename(config.configFile);
  if (!source || typeof source !== "object" || (!source.drizzle && !source.sql)) {
    throw new ConfigError(
      `${configName} has no \`schema\`: Sluice needs the application's model to compare the database with.`,
      'Add schema: { drizzle: "./src/db/schema.ts" } or schema: { sql: "./db/schema.sql" } to the config.',
    );
  }
  if (source.drizzle && source.sql) {
    throw new ConfigError(`${configName}: \`schema\` names both a Drizzle module and a schema.sql; choose one.`);
  }
  const file = path.resolve(config.root, (source.drizzle ?? source.sql)!);
  const rel = projectPath(config.root, file);
  if (source.sql) {
    const sql = await loadSqlModel(file, config.root);
    return { kind: "sql", file: rel, statements: sql.statements, sqlRoles: sql.roles, notManaged: sql.roles.map((r) => `role ${r}`), leftAlone: [] };
  }

  let exports: Record<string, unknown>;
  try {
    exports = await loadModelModule(file);
  } catch (err) {
    const missing = !fs.existsSync(file);
    throw new ConfigError(
      missing ? `The Drizzle model ${rel} does not exist.` : `The Drizzle model ${rel} could not be imported: ${firstLine(err)}`,
      missing ? "Check `schema.drizzle` in the config; paths are relative to the config file." : "Fix the error in the model file (it must import and run on its own).",
      err,
    );
  }
  const kit = await loadDrizzleKit(file);
  try {
    const parts = compileDrizzle(exports, kit, { casing: source.casing });
    return {
      kind: "drizzle",
      file: rel,
      statements: [],
      parts,
      drizzleKit: kit.version,
      notManaged: parts.notManaged,
      leftAlone: parts.existingViews.map((v) => ({ kind: "view" as const, ...v })),
    };
  } catch (err) {
    const where = err instanceof DrizzleKitRejected ? modelLine(file, err.message) : null;
    throw new ConfigError(
      `drizzle-kit ${kit.version} rejects the Drizzle model ${rel}${where ? ` (${rel}:${where})` : ""}: ${err instanceof Error ? err.message : String(err)}`,
      "Fix the model; Sluice compiles it with Drizzle Kit's own generator, as drizzle-kit generate would.",
      err,
    );
  }
}

/** The line of the model that declares the first table or column a Drizzle Kit message names, if any. */
function modelLine(file: string, message: string): number | null {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  for (const word of message.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
    if (word.length < 3) continue;
    const at = lines.findIndex((l) => l.includes(`"${word}"`) || l.includes(`'${word}'`));
    if (at >= 0) return at + 1;
  }
  return null;
}

/** The roles the model declares: the only ones read from a database (roles belong to the whole server). */
export function roleNames(model: Model): string[] {
  return model.parts?.roles.map((r) => r.name) ?? [];
}

/** A database's Schema without what the model says exists and is not its own (`pgView(…).existing()`), so it is never dropped. */
export function withoutLeftAlone(schema: Schema, model: Model): Schema {
  if (!model.leftAlone.length) return schema;
  const alone = new Set(model.leftAlone.map((o) => `${o.schema}.${o.name}`));
  return { ...schema, views: schema.views.filter((v) => !alone.has(`${v.schema}.${v.name}`)) };
}

export interface CompileOptions {
  /** Extensions to create first (those of the database compared with), so the model can use their types. */
  extensions?: readonly { readonly name: string; readonly schema: string }[];
  /** Schemas to read; default: `public` and every schema the model creates. */
  schemas?: readonly string[];
  /** A file to keep the compiled tables of a Drizzle model in between runs (`.sluice/cache/…`); none: compile it all. */
  cacheFile?: string;
  /** Told of stale scratch databases dropped on a server. */
  log?: (line: string) => void;
  /**
   * Brings a scratch database to where the chain is (replays its migrations),
   * for a model that uses objects it does not declare (a function a generated
   * column calls, created by a hand-written migration). Used only when the
   * model does not compile without them; not on a dev database.
   */
  prepare?: (db: Db) => Promise<void>;
  /** The extensions `prepare` creates, so an embedded scratch can load them (PGlite takes them at construction). */
  prepareExtensions?: () => Promise<readonly string[]>;
}

export interface CompiledModel {
  readonly schema: Schema;
  /** The schemas that were read, to read the database compared with the same way. */
  readonly schemas: readonly string[];
  /** Resolves when the scratch database is gone (dropping a server database takes a moment; others may work meanwhile). */
  readonly disposed: Promise<void>;
}

/**
 * The desired Schema: the model's DDL applied on a scratch PostgreSQL and
 * introspected, so PostgreSQL itself normalizes it exactly as it normalizes
 * the database it is compared with.
 */
export async function compileModel(model: Model, scratch: ScratchTarget, opts: CompileOptions = {}): Promise<CompiledModel> {
  try {
    return await compileOn(model, scratch, opts, false);
  } catch (err) {
    if (!opts.prepare || scratch.kind === "dev" || !USES_UNDECLARED.has(String((err as SluiceError).details?.sqlstate))) throw err;
    return compileOn(model, scratch, opts, true);
  }
}

/** Errors of a model that names a function, type or relation it does not declare. */
const USES_UNDECLARED = new Set(["42883", "42704", "42P01"]);

async function compileOn(model: Model, scratch: ScratchTarget, opts: CompileOptions, prepared: boolean): Promise<CompiledModel> {
  // The scratch starts without what the model creates: an extension the compared database has is created first only when the model does not create it.
  const own = new Set(await createdExtensions(model.statements));
  const first = (opts.extensions ?? []).filter((e) => !own.has(e.name));
  const chainOwn = prepared && scratch.kind === "pglite" && opts.prepareExtensions ? await opts.prepareExtensions() : [];
  const load = [...own, ...[...first.map((e) => e.name), ...chainOwn].filter((n) => !pgliteLacks([n]).length)];
  const s = await openScratch(scratch, opts.log, load);
  try {
    if (prepared) {
      await opts.prepare!(s.db);
      await clearDeclarable(s.db);
    }
    // A dev database is used inside one transaction: a failed statement there needs a savepoint.
    const guarded = (sql: string) => (scratch.kind === "dev" ? `SAVEPOINT sluice_model;\n${sql};\nRELEASE SAVEPOINT sluice_model` : sql);
    for (const e of first) {
      // An extension the scratch cannot install is left out; the model fails later only if it needs it.
      await s.db.exec(guarded(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`)).catch(async () => {
        if (scratch.kind === "dev") await s.db.exec("ROLLBACK TO SAVEPOINT sluice_model").catch(() => {});
      });
    }
    const createdRoles = await ensureRoles(s.db, [...(model.parts?.policyRoles ?? []), ...(model.sqlRoles ?? [])]);
    const plan = model.parts && opts.cacheFile ? await planCompile(model.parts, opts.cacheFile, await cacheSalt(s.db, model, opts)) : null;
    if (plan?.partial) {
      try {
        await applyModel(s.db, { ...model, statements: scratchDdl(plan.statements) }, guarded, scratch.kind === "dev");
      } catch {
        // The cached tables did not suffice (or the model is broken): compile it whole, on a fresh scratch, to say so properly.
        await s.dispose().catch(() => {});
        return compileOn(model, scratch, { ...opts, cacheFile: undefined }, prepared);
      }
    } else {
      const statements = model.parts ? scratchDdl(await model.parts.statements(model.parts.tables.map((t) => t.key))) : model.statements;
      await applyModel(s.db, { ...model, statements }, guarded, scratch.kind === "dev");
    }
    const schemas = opts.schemas ?? (await userSchemas(s.db));
    const fresh = await introspect(s.db, { schemas });
    await dropRoles(s.db, createdRoles);
    const schema = { ...(plan ? plan.finish(fresh) : fresh), roles: [...(model.parts?.roles ?? [])].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)) };
    return { schema, schemas, disposed: s.dispose() };
  } catch (err) {
    await s.dispose().catch(() => {});
    throw err;
  }
}

/**
 * Drizzle Kit's DDL as a scratch database runs it: statements go in batches,
 * where CREATE INDEX CONCURRENTLY cannot run; on an empty table the index is
 * the same built either way. (Drizzle Kit writes the statement head exactly so.)
 */
function scratchDdl(statements: readonly string[]): string[] {
  return statements.map((st) => st.replace(/^CREATE (UNIQUE )?INDEX CONCURRENTLY /, "CREATE $1INDEX "));
}

/** A statement of the model (for a schema.sql, first the whole file) and the line of the model text it starts on. */
interface Piece {
  readonly sql: string;
  readonly line: number;
}

/**
 * Statements sent per round trip. Each string runs as one implicit
 * transaction, which must fit in the server's shared lock table (64 locks per
 * connection by default): a 2,000-table model sent as one string ran out of
 * shared memory. A few hundred statements keep round trips few and well
 * within the lock table.
 */
const STATEMENTS_PER_ROUND_TRIP = 250;
const OUT_OF_SHARED_MEMORY = "53200";

interface Failure {
  readonly err: unknown;
  readonly batch: readonly Piece[];
  /** What was sent, and the batch's text within it. */
  readonly sent: string;
  readonly text: string;
}

async function applyModel(db: Db, model: Model, guarded: (sql: string) => string, inSavepoint: boolean): Promise<void> {
  const pieces: Piece[] = [];
  let line = 1;
  for (const st of model.statements) {
    const sql = st.trimEnd().replace(/;\s*$/, "");
    pieces.push({ sql, line });
    line += countLines(sql);
  }
  const text = pieces.map((p) => p.sql).join(";\n");
  let failure = await applyPieces(db, pieces, guarded);
  if (failure && model.kind === "sql" && !inSavepoint && pgErrorInfo(failure.err)?.code === OUT_OF_SHARED_MEMORY) {
    // A schema.sql too large for one transaction (the failed one left nothing behind): statement by statement, in round trips.
    const statements = await splitStatements(text).catch(() => null);
    if (statements) failure = await applyPieces(db, statements, guarded);
  }
  if (!failure) return;
  const info = pgErrorInfo(failure.err)!;
  if (inSavepoint && info.code === OUT_OF_SHARED_MEMORY) {
    // Not the model's fault: a dev database is used inside one transaction, which holds a lock per table it creates.
    throw new DatabaseError(
      "dev-database-lock-table",
      `The model ${model.file} has more tables than the dev database's server can lock in one transaction (PostgreSQL ${info.code}: ${info.message}).`,
      {
        hint: "Sluice uses a --dev-url database only inside a transaction it rolls back. Raise max_locks_per_transaction on that server (the lock table holds max_locks_per_transaction × max_connections locks), or leave out --dev-url so that Sluice creates a scratch database.",
      },
    );
  }
  const at =
    info.position !== undefined
      ? lineInBatch(failure.batch, info.position - 1 - failure.sent.indexOf(failure.text))
      : await failingLine(db, failure.batch, inSavepoint);
  let where = "";
  if (at !== null) {
    const lineText = (text.split("\n")[at - 1] ?? "").trim();
    where = model.kind === "sql" ? ` at ${model.file}:${at}: ${lineText}` : ` in: ${lineText}`;
  }
  throw new SluiceError("model-invalid", `The model ${model.file} does not apply on PostgreSQL${where}\nPostgreSQL ${info.code}: ${info.message}`, {
    details: { sqlstate: info.code },
    hint: model.kind === "sql" ? "Fix the DDL in the model file." : `Fix the Drizzle model; drizzle-kit ${model.drizzleKit ?? ""} compiles it to the DDL shown.`,
  });
}

/** Sends the pieces a few hundred at a time; the first PostgreSQL error ends it and is returned. */
async function applyPieces(db: Db, pieces: readonly Piece[], guarded: (sql: string) => string): Promise<Failure | null> {
  for (let i = 0; i < pieces.length; i += STATEMENTS_PER_ROUND_TRIP) {
    const batch = pieces.slice(i, i + STATEMENTS_PER_ROUND_TRIP);
    const text = batch.map((p) => p.sql).join(";\n");
    const sent = guarded(text);
    try {
      await db.exec(sent);
    } catch (err) {
      if (!pgErrorInfo(err)) throw err;
      return { err, batch, sent, text };
    }
  }
  return null;
}

/** The model line at `offset` of a batch's text (its pieces joined by ";\n"). */
function lineInBatch(batch: readonly Piece[], offset: number): number {
  let start = 0;
  for (const p of batch) {
    const end = start + p.sql.length + 2;
    if (offset < end || p === batch[batch.length - 1]) return p.line + countLines(p.sql.slice(0, Math.max(0, offset - start))) - 1;
    start = end;
  }
  return 1;
}

/** Lines `text` spans (1 for a text without newlines). */
function countLines(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/**
 * The line of the statement that fails, for errors PostgreSQL reports without
 * a position (an unknown referenced table, say): the failed batch was rolled
 * back, so its statements run again one at a time, in a transaction that is
 * rolled back in turn.
 */
async function failingLine(db: Db, batch: readonly Piece[], savepoint: boolean): Promise<number | null> {
  const statements = [];
  try {
    for (const p of batch) statements.push(...(await splitStatements(p.sql, p.line)));
  } catch {
    return null;
  }
  const begin = savepoint ? "ROLLBACK TO SAVEPOINT sluice_model" : "BEGIN";
  const end = savepoint ? "ROLLBACK TO SAVEPOINT sluice_model" : "ROLLBACK";
  try {
    await db.exec(begin);
  } catch {
    return null;
  }
  try {
    for (const st of statements) {
      try {
        await db.exec(st.sql);
      } catch {
        return st.line;
      }
    }
    return null;
  } finally {
    await db.exec(end).catch(() => {});
  }
}

/** What a compiled table depends on besides its DDL: this Sluice, the scratch's exact PostgreSQL version, the extensions and the schemas read. */
async function cacheSalt(db: Db, model: Model, opts: CompileOptions): Promise<string> {
  const version = await db.query<{ v: string }>("SELECT version() AS v");
  return JSON.stringify([SLUICE_VERSION, model.drizzleKit ?? null, version.rows[0].v, opts.extensions ?? [], opts.schemas ?? null]);
}

/**
 * Creates the roles a model's policies name that the scratch's server lacks
 * (roles belong to the whole server, so a scratch database cannot hold them
 * alone); returns those it created, to drop once the model is read.
 */
async function ensureRoles(db: Db, names: readonly string[]): Promise<string[]> {
  if (!names.length) return [];
  const have = await db.query<{ name: string }>("SELECT rolname::text AS name FROM pg_roles WHERE rolname = ANY($1::text[])", [names]);
  const missing = names.filter((n) => !have.rows.some((r) => r.name === n));
  for (const n of missing) await db.exec(`CREATE ROLE ${quoteIdent(n)} NOLOGIN`);
  return missing;
}

async function dropRoles(db: Db, names: readonly string[]): Promise<void> {
  for (const n of names) {
    // Its policies in the scratch go first; a role some other database came to use meanwhile stays.
    await db.exec(`DROP OWNED BY ${quoteIdent(n)}; DROP ROLE ${quoteIdent(n)}`).catch(() => {});
  }
}

/**
 * Drops from a scratch brought to the chain's head what a model declares
 * (tables, views, sequences, enums, and schemas left empty), keeping what it
 * may only use: functions, extensions, domains, composite types.
 */
async function clearDeclarable(db: Db): Promise<void> {
  await db.exec(`DO $sluice$ DECLARE r record; BEGIN
  FOR r IN SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                   n.nspname, c.relname) AS q
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND NOT c.relispartition ${USER_SCHEMA.replace(/nspname/g, "n.nspname")}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
  LOOP EXECUTE r.q; END LOOP;
  FOR r IN SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname) AS q
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'e' ${USER_SCHEMA.replace(/nspname/g, "n.nspname")}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP EXECUTE r.q; END LOOP;
  FOR r IN SELECT format('DROP SCHEMA %I', n.nspname) AS q FROM pg_namespace n
            WHERE n.nspname <> 'public' ${USER_SCHEMA}
              AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace = n.oid)
              AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE t.typnamespace = n.oid)
  LOOP EXECUTE r.q; END LOOP;
END $sluice$`);
}

const USER_SCHEMA = "AND nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'";

/** `public` and every other schema that is not PostgreSQL's own. */
async function userSchemas(db: Db): Promise<string[]> {
  const r = await db.query<{ name: string }>(
    `SELECT nspname::text AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
      ORDER BY 1`,
  );
  return [...new Set(["public", ...r.rows.map((row) => row.name)])];
}
