import fs from "node:fs";
import path from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import { firstLine } from "../config/config.js";
import type { Db } from "../db/types.js";
import { pgErrorInfo } from "../db/types.js";
import { ConfigError, DatabaseError, SluiceError } from "../errors.js";
import { quoteIdent } from "../ops/quote.js";
import { introspect } from "../schema/introspect.js";
import { splitStatements } from "../sql/parse.js";
import type { Schema } from "../schema/types.js";
import { planCompile } from "./cache.js";
import { loadModelModule } from "./load.js";
import { compileDrizzle, ddlStatements, loadDrizzle, type DrizzleDdlOptions, type ModelParts } from "./drizzle.js";
import { openScratch, type ScratchTarget } from "./scratch.js";
import { loadSqlModel } from "./sql.js";
import { SLUICE_VERSION } from "../version.js";

export { openScratch, type ScratchTarget, type Scratch } from "./scratch.js";
export { drizzleToDdl, loadDrizzle } from "./drizzle.js";

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
  readonly statements: readonly string[];
  /** For a Drizzle model, the same DDL table by table (so unchanged tables can come from the cache). */
  readonly parts?: ModelParts;
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
  const rel = path.relative(config.root, file).split(path.sep).join("/");
  if (source.sql) return { kind: "sql", file: rel, statements: loadSqlModel(file, config.root) };

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
  let drizzle;
  try {
    drizzle = await loadDrizzle();
  } catch (err) {
    throw new ConfigError(`drizzle-orm could not be loaded: ${firstLine(err)}`, "Install it in the project: npm install drizzle-orm.", err);
  }
  try {
    const parts = compileDrizzle(exports, drizzle, { casing: source.casing });
    return { kind: "drizzle", file: rel, statements: ddlStatements(parts), parts };
  } catch (err) {
    throw new ConfigError(`The Drizzle model ${rel} could not be compiled: ${firstLine(err)}`, "Fix the model; Sluice reads it through getTableConfig.", err);
  }
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
  const s = await openScratch(scratch, opts.log);
  try {
    // A dev database is used inside one transaction: a failed statement there needs a savepoint.
    const guarded = (sql: string) => (scratch.kind === "dev" ? `SAVEPOINT sluice_model;\n${sql};\nRELEASE SAVEPOINT sluice_model` : sql);
    for (const e of opts.extensions ?? []) {
      // An extension the scratch cannot install is left out; the model fails later only if it needs it.
      await s.db.exec(guarded(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`)).catch(async () => {
        if (scratch.kind === "dev") await s.db.exec("ROLLBACK TO SAVEPOINT sluice_model").catch(() => {});
      });
    }
    const plan = model.parts && opts.cacheFile ? planCompile(model.parts, opts.cacheFile, await cacheSalt(s.db, opts)) : null;
    if (plan?.partial) {
      try {
        await applyModel(s.db, { ...model, statements: plan.statements }, guarded, scratch.kind === "dev");
      } catch {
        // The cached tables did not suffice (or the model is broken): compile it whole, on a fresh scratch, to say so properly.
        await s.dispose().catch(() => {});
        return compileModel(model, scratch, { ...opts, cacheFile: undefined });
      }
    } else {
      await applyModel(s.db, model, guarded, scratch.kind === "dev");
    }
    const schemas = opts.schemas ?? (await userSchemas(s.db));
    const fresh = await introspect(s.db, { schemas });
    return { schema: plan ? plan.finish(fresh) : fresh, schemas, disposed: s.dispose() };
  } catch (err) {
    await s.dispose().catch(() => {});
    throw err;
  }
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
    hint: model.kind === "sql" ? "Fix the DDL in the model file." : "Fix the Drizzle model; Sluice compiles it to the DDL shown.",
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
async function cacheSalt(db: Db, opts: CompileOptions): Promise<string> {
  const version = await db.query<{ v: string }>("SELECT version() AS v");
  return JSON.stringify([SLUICE_VERSION, version.rows[0].v, opts.extensions ?? [], opts.schemas ?? null]);
}

/** `public` and every other schema that is not PostgreSQL's own. */
async function userSchemas(db: Db): Promise<string[]> {
  const r = await db.query<{ name: string }>(
    `SELECT nspname::text AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
      ORDER BY 1`,
  );
  return [...new Set(["public", ...r.rows.map((row) => row.name)])];
}
