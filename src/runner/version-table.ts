import type { Db } from "../db/types.js";
import { quoteLiteral } from "../ops/quote.js";
import type { MigrationMeta } from "../chain/files.js";
import { VERSION_TABLE } from "../schema/bookkeeping.js";

export { VERSION_TABLE };
export const VERSION_TABLE_QUALIFIED = `public.${VERSION_TABLE}`;

export const CREATE_VERSION_TABLE = `CREATE TABLE IF NOT EXISTS ${VERSION_TABLE_QUALIFIED} (
  revision text PRIMARY KEY,
  down_revisions text[] NOT NULL DEFAULT '{}',
  message text NOT NULL DEFAULT '',
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  execution_ms integer
)`;

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
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [VERSION_TABLE_QUALIFIED]);
  if (!exists.rows[0]?.t) return [];
  const r = await db.query<{ revision: string; down_revisions: string[]; message: string; checksum: string; applied_at: Date | string; execution_ms: number | null }>(
    `SELECT revision, down_revisions, message, checksum, applied_at, execution_ms FROM ${VERSION_TABLE_QUALIFIED} ORDER BY applied_at, revision`,
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
export function insertVersionSql(m: Pick<MigrationMeta, "revision" | "downRevisions" | "message" | "checksum">, executionMs?: number | string, appliedAt?: string): string {
  const ms = typeof executionMs === "number" ? String(Math.round(executionMs)) : executionMs;
  const columns = ["revision", "down_revisions", "message", "checksum"];
  const values = [quoteLiteral(m.revision), textArray(m.downRevisions), quoteLiteral(m.message), quoteLiteral(m.checksum)];
  if (ms !== undefined) columns.push("execution_ms"), values.push(ms);
  if (appliedAt !== undefined) columns.push("applied_at"), values.push(appliedAt);
  return `INSERT INTO ${VERSION_TABLE_QUALIFIED} (${columns.join(", ")}) VALUES (${values.join(", ")})`;
}

export function deleteVersionSql(revision: string): string {
  return `DELETE FROM ${VERSION_TABLE_QUALIFIED} WHERE revision = ${quoteLiteral(revision)}`;
}
