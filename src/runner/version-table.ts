import type { Db } from "../db/types.js";
import { quoteIdent, quoteLiteral } from "../ops/quote.js";
import type { MigrationMeta } from "../chain/files.js";
import { DEFAULT_VERSION_TABLE, versionTableOf, type VersionTable } from "../schema/bookkeeping.js";

export { VERSION_TABLE, DEFAULT_VERSION_TABLE, useVersionTable, versionTableOf, type VersionTable } from "../schema/bookkeeping.js";

/** The table as SQL: `public.sluice_version`, or quoted where a name needs it. */
export function qualifiedVersionTable(t: VersionTable): string {
  return `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
}

/** Creates the version table (and its schema, when that is not public) if it is not there. */
export function createVersionTableSql(t: VersionTable = DEFAULT_VERSION_TABLE): string {
  const schema = t.schema === "public" ? "" : `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(t.schema)};\n`;
  return `${schema}CREATE TABLE IF NOT EXISTS ${qualifiedVersionTable(t)} (
  revision text PRIMARY KEY,
  down_revisions text[] NOT NULL DEFAULT '{}',
  message text NOT NULL DEFAULT '',
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer
)`;
}

export interface AppliedRevision {
  readonly revision: string;
  readonly downRevisions: readonly string[];
  readonly message: string;
  readonly checksum: string;
  readonly appliedAt: string;
  readonly executionMs: number | null;
}

/** The applied revisions, or an empty list when the version table does not exist yet. */
export async function readApplied(db: Db): Promise<AppliedRevision[]> {
  const table = qualifiedVersionTable(versionTableOf(db));
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [table]);
  if (!exists.rows[0]?.t) return [];
  const r = await db.query<{ revision: string; down_revisions: string[]; message: string; checksum: string; applied_at: Date | string; execution_ms: number | null }>(
    `SELECT revision, down_revisions, message, checksum, applied_at, execution_ms FROM ${table} ORDER BY applied_at, revision`,
  );
  return r.rows.map((row) => ({
    revision: row.revision,
    downRevisions: row.down_revisions ?? [],
    message: row.message,
    checksum: row.checksum,
    appliedAt: row.applied_at instanceof Date ? row.applied_at.toISOString() : new Date(row.applied_at).toISOString(),
    executionMs: row.execution_ms,
  }));
}

function textArray(values: readonly string[]): string {
  return values.length ? `ARRAY[${values.map(quoteLiteral).join(", ")}]::text[]` : "'{}'::text[]";
}

/**
 * The statement that records `m` as applied (literal, so offline SQL shows it
 * as it runs). `executionMs` is a number of milliseconds or an SQL expression;
 * `appliedAt` an SQL expression, default the transaction's start (`now()`).
 */
export function insertVersionSql(
  m: Pick<MigrationMeta, "revision" | "downRevisions" | "message" | "checksum">,
  executionMs?: number | string,
  appliedAt?: string,
  t: VersionTable = DEFAULT_VERSION_TABLE,
): string {
  const ms = typeof executionMs === "number" ? String(Math.round(executionMs)) : executionMs;
  const columns = ["revision", "down_revisions", "message", "checksum"];
  const values = [quoteLiteral(m.revision), textArray(m.downRevisions), quoteLiteral(m.message), quoteLiteral(m.checksum)];
  if (ms !== undefined) columns.push("execution_ms"), values.push(ms);
  if (appliedAt !== undefined) columns.push("applied_at"), values.push(appliedAt);
  return `INSERT INTO ${qualifiedVersionTable(t)} (${columns.join(", ")}) VALUES (${values.join(", ")})`;
}

export function deleteVersionSql(revision: string, t: VersionTable = DEFAULT_VERSION_TABLE): string {
  return `DELETE FROM ${qualifiedVersionTable(t)} WHERE revision = ${quoteLiteral(revision)}`;
}
