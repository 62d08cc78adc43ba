import fs from "node:fs";
import path from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import { firstLine } from "../config/config.js";
import { loadUserModule } from "../config/load-module.js";
import type { Db } from "../db/types.js";
import { pgErrorInfo } from "../db/types.js";
import { ConfigError, SluiceError } from "../errors.js";
import { quoteIdent } from "../ops/quote.js";
import { introspect } from "../schema/introspect.js";
import { splitStatements } from "../sql/parse.js";
import type { Schema } from "../schema/types.js";
import { drizzleToDdl, loadDrizzle, type DrizzleDdlOptions } from "./drizzle.js";
import { openScratch, type ScratchTarget } from "./scratch.js";
import { loadSqlModel } from "./sql.js";

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
    exports = await loadUserModule(file);
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
    return { kind: "drizzle", file: rel, statements: drizzleToDdl(exports, drizzle, { casing: source.casing }) };
  } catch (err) {
    throw new ConfigError(`The Drizzle model ${rel} could not be compiled: ${firstLine(err)}`, "Fix the model; Sluice reads it through getTableConfig.", err);
  }
}

export interface CompileOptions {
  /** Extensions to create first (those of the database compared with), so the model can use their types. */
  extensions?: readonly { readonly name: string; readonly schema: string }[];
  /** Schemas to read; default: `public` and every schema the model creates. */
  schemas?: readonly string[];
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
  const s = await openScratch(scratch);
  try {
    // A dev database is used inside one transaction: a failed statement there needs a savepoint.
    const guarded = (sql: string) => (scratch.kind === "dev" ? `SAVEPOINT sluice_model;\n${sql};\nRELEASE SAVEPOINT sluice_model` : sql);
    for (const e of opts.extensions ?? []) {
      // An extension the scratch cannot install is left out; the model fails later only if it needs it.
      await s.db.exec(guarded(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`)).catch(async () => {
        if (scratch.kind === "dev") await s.db.exec("ROLLBACK TO SAVEPOINT sluice_model").catch(() => {});
      });
    }
    await applyModel(s.db, model, guarded, scratch.kind === "dev");
    const schemas = opts.schemas ?? (await userSchemas(s.db));
    const schema = await introspect(s.db, { schemas });
    return { schema, schemas, disposed: s.dispose() };
  } catch (err) {
    await s.dispose().catch(() => {});
    throw err;
  }
}

async function applyModel(db: Db, model: Model, guarded: (sql: string) => string, inSavepoint: boolean): Promise<void> {
  const text = model.statements.map((st) => st.trim().replace(/;\s*$/, "")).join(";\n");
  const sql = guarded(text);
  try {
    await db.exec(sql);
  } catch (err) {
    const info = pgErrorInfo(err);
    if (!info) throw err;
    const line = info.position !== undefined ? lineAt(text, info.position - 1 - sql.indexOf(text)) : await failingLine(db, text, inSavepoint);
    let where = "";
    if (line !== null) {
      const lineText = (text.split("\n")[line - 1] ?? "").trim();
      where = model.kind === "sql" ? ` at ${model.file}:${line}: ${lineText}` : ` in: ${lineText}`;
    }
    throw new SluiceError("model-invalid", `The model ${model.file} does not apply on PostgreSQL${where}\nPostgreSQL ${info.code}: ${info.message}`, {
      hint: model.kind === "sql" ? "Fix the DDL in the model file." : "Fix the Drizzle model; Sluice compiles it to the DDL shown.",
    });
  }
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split("\n").length;
}

/**
 * The line of the statement that fails, for errors PostgreSQL reports without
 * a position (an unknown referenced table, say): the whole text was rolled
 * back, so the statements run again one at a time, in a transaction that is
 * rolled back in turn.
 */
async function failingLine(db: Db, text: string, savepoint: boolean): Promise<number | null> {
  let statements;
  try {
    statements = await splitStatements(text);
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

/** `public` and every other schema that is not PostgreSQL's own. */
async function userSchemas(db: Db): Promise<string[]> {
  const r = await db.query<{ name: string }>(
    `SELECT nspname::text AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp_%' AND nspname NOT LIKE 'pg_toast_temp_%'
      ORDER BY 1`,
  );
  return [...new Set(["public", ...r.rows.map((row) => row.name)])];
}
