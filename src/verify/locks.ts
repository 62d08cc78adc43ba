import type { Db } from "../db/types.js";
import type { LockLevel } from "../ops/types.js";
import type { CompiledMigration } from "../runner/runner.js";
import { statementKind, loadParser, splitStatementsSync } from "../sql/parse.js";

/** A lock a migration took on a table that existed before it. */
export interface ObservedLock {
  /** `schema.table`. */
  readonly table: string;
  readonly mode: LockLevel;
  /** Whether the table's storage was rewritten (its relfilenode changed). */
  readonly rewrite: boolean;
  /** False when read from PostgreSQL's documented lock levels (statements that cannot run in a transaction). */
  readonly observed: boolean;
}

const MODES: Record<string, LockLevel> = {
  AccessShareLock: "ACCESS SHARE",
  RowShareLock: "ROW SHARE",
  RowExclusiveLock: "ROW EXCLUSIVE",
  ShareUpdateExclusiveLock: "SHARE UPDATE EXCLUSIVE",
  ShareLock: "SHARE",
  ShareRowExclusiveLock: "SHARE ROW EXCLUSIVE",
  ExclusiveLock: "EXCLUSIVE",
  AccessExclusiveLock: "ACCESS EXCLUSIVE",
};
const ORDER: LockLevel[] = ["NONE", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"];
export const lockRank = (m: LockLevel) => ORDER.indexOf(m);

interface TableFile {
  oid: number;
  name: string;
  filenode: string;
}

const TABLES_SQL = `SELECT c.oid::int AS oid, format('%s.%s', n.nspname, c.relname) AS name, c.relfilenode::text AS filenode
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`;

/** The user tables and their storage files, before a migration runs. */
export async function tableFiles(db: Db): Promise<Map<number, TableFile>> {
  const r = await db.query<TableFile>(TABLES_SQL);
  return new Map(r.rows.map((t) => [t.oid, t]));
}

/**
 * The strongest lock this session holds on each pre-existing table. Called
 * inside the migration's transaction, where every lock it took is still held.
 */
export async function heldLocks(db: Db, before: Map<number, TableFile>): Promise<ObservedLock[]> {
  const r = await db.query<{ oid: number; mode: string }>(
    `SELECT l.relation::int AS oid, l.mode FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted`,
  );
  const after = await tableFiles(db);
  const strongest = new Map<number, LockLevel>();
  for (const row of r.rows) {
    if (!before.has(row.oid)) continue;
    const mode = MODES[row.mode];
    if (!mode) continue;
    const prev = strongest.get(row.oid);
    if (!prev || lockRank(mode) > lockRank(prev)) strongest.set(row.oid, mode);
  }
  // A table rewritten without a lock of its own is impossible; a dropped table has no row after.
  return [...strongest.entries()]
    .map(([oid, mode]) => ({
      table: before.get(oid)!.name,
      mode,
      rewrite: after.has(oid) && after.get(oid)!.filenode !== before.get(oid)!.filenode,
      observed: true,
    }))
    .sort((a, b) => lockRank(b.mode) - lockRank(a.mode) || a.table.localeCompare(b.table));
}

/**
 * Locks of a migration that runs outside a transaction, where they cannot be
 * read back: PostgreSQL's documented levels for the statements that need that
 * (CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY).
 */
export async function documentedLocks(c: CompiledMigration, before: Map<number, TableFile>): Promise<ObservedLock[]> {
  await loadParser();
  const names = new Set([...before.values()].map((t) => t.name));
  const out: ObservedLock[] = [];
  for (const s of c.statements) {
    for (const stmt of splitStatementsSync(s.sql)) {
      const kind = statementKind(stmt.ast);
      const node = (stmt.ast as Record<string, any>)[kind];
      if (kind === "IndexStmt" && node.concurrent) {
        const rel = node.relation;
        const table = `${rel.schemaname ?? "public"}.${rel.relname}`;
        if (names.has(table)) out.push({ table, mode: "SHARE UPDATE EXCLUSIVE", rewrite: false, observed: false });
      }
    }
  }
  return out;
}

/** "upgrade 060 takes ACCESS EXCLUSIVE on public.products (rewrite: no)". */
export function describeLock(revision: string, l: ObservedLock): string {
  const table = l.table.startsWith("public.") ? l.table.slice(7) : l.table;
  return `upgrade ${revision} takes ${l.mode} on ${table} (rewrite: ${l.rewrite ? "yes" : "no"})${l.observed ? "" : " [documented level: runs outside a transaction]"}`;
}
