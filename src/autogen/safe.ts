import type { DropConstraintOp, DropIndexOp, Op } from "../ops/types.js";
import type { Schema } from "../schema/types.js";
import type { Change } from "./change.js";
import { opName } from "./compare/names.js";
import { quoteIdent, splitQualified } from "../ops/quote.js";

/**
 * A migration's changes split in two: those that run in one transaction, and
 * those that must not hold a lock for a whole scan or build, which run after
 * them in a migration of their own, outside a transaction (each statement
 * commits by itself).
 */
export interface SafePlan {
  readonly transactional: readonly Change[];
  readonly concurrent: readonly Change[];
}

/**
 * The lock-safe form of changes to tables that already exist (new tables need
 * none of it):
 * - an index is built `CONCURRENTLY` (a leftover INVALID one dropped first);
 * - a foreign key or CHECK is added `NOT VALID` and validated afterwards, when
 *   VALIDATE's SHARE UPDATE EXCLUSIVE lock lets writes through;
 * - SET NOT NULL goes through a validated `CHECK (col IS NOT NULL)`, which
 *   spares SET NOT NULL its scan, and the CHECK is dropped after;
 * - a unique constraint is promoted from a unique index built concurrently.
 * A unique index or constraint that a foreign key of the same change needs
 * stays in the transaction, since the key cannot be made without it.
 */
export function planSafe(changes: readonly Change[], current: Schema): SafePlan {
  const created = new Set(changes.flatMap((c) => (c.op.kind === "createTable" ? [c.op.table] : [])));
  const existing = new Set(current.tables.map((t) => opName(t)).filter((t) => !created.has(t)));
  const referenced = new Set(changes.flatMap((c) => (c.op.kind === "createForeignKey" ? [c.op.refTable] : [])));
  const transactional: Change[] = [];
  const concurrent: Change[] = [];
  for (const c of changes) {
    const op = c.op;
    if (op.kind === "createIndex" && existing.has(op.table) && !op.concurrently && !(op.unique && referenced.has(op.table))) {
      const name = qualify(op.table, op.name);
      concurrent.push(cleanup(name, c.summary), { ...c, op: { ...op, concurrently: true }, undo: [dropConcurrently(name)], summary: `${c.summary} (concurrently)` });
      continue;
    }
    if (op.kind === "execute" && c.index && existing.has(c.index.table) && !c.index.partitioned && !(/^CREATE UNIQUE /.test(op.sql) && referenced.has(c.index.table))) {
      const name = qualify(c.index.table, c.index.name);
      // pg_get_indexdef always starts `CREATE INDEX` or `CREATE UNIQUE INDEX`.
      const sql = op.sql.replace(/^CREATE (UNIQUE )?INDEX /, (m) => `${m}CONCURRENTLY `);
      concurrent.push(cleanup(name, c.summary), { ...c, op: { kind: "execute", sql }, undo: [dropConcurrently(name)], summary: `${c.summary} (concurrently)` });
      continue;
    }
    if ((op.kind === "createForeignKey" || op.kind === "createCheckConstraint") && existing.has(op.table) && !op.notValid) {
      transactional.push({ ...c, op: { ...op, notValid: true }, summary: `${c.summary} (NOT VALID)` });
      concurrent.push({ op: { kind: "validateConstraint", name: op.name, table: op.table }, undo: [], summary: `validate ${op.name} on ${op.table}` });
      continue;
    }
    if (op.kind === "createUniqueConstraint" && existing.has(op.table) && !op.usingIndex && !referenced.has(op.table)) {
      const name = qualify(op.table, op.name);
      concurrent.push(
        cleanup(name, c.summary),
        { op: { kind: "createIndex", name: op.name, table: op.table, columns: op.columns, unique: true, concurrently: true }, undo: [dropConcurrently(name)], summary: `build unique index ${op.name} on ${op.table} concurrently` },
        { ...c, op: { ...op, usingIndex: op.name }, summary: `${c.summary} (using the index built concurrently)` },
      );
      continue;
    }
    if (op.kind === "alterColumn" && op.nullable === false && op.type === undefined && existing.has(op.table)) {
      const { nullable: _n, existing: was, ...rest } = op;
      const { nullable: wasNullable, ...wasRest } = was ?? {};
      // A default set in the same change stays in the transaction.
      if (op.serverDefault !== undefined) transactional.push({ ...c, op: { ...rest, existing: wasRest }, summary: `${c.summary} (default)` });
      const check = notNullCheckName(op.table, op.column);
      const expression = `${quoteIdent(op.column)} IS NOT NULL`;
      // All four steps outside a transaction: each commits by itself, so only VALIDATE scans, under a lock that lets writes through.
      const drop: DropConstraintOp = { kind: "dropConstraint", name: check, table: op.table, existing: { type: "check", expression, notValid: true } };
      concurrent.push(
        {
          op: { kind: "createCheckConstraint", name: check, table: op.table, expression, notValid: true },
          review: c.review,
          todo: c.todo,
          summary: `check ${op.table}.${op.column} IS NOT NULL (NOT VALID), to set NOT NULL without a scan`,
        },
        { op: { kind: "validateConstraint", name: check, table: op.table }, undo: [], summary: `validate ${check} on ${op.table}` },
        { op: { kind: "alterColumn", table: op.table, column: op.column, nullable: false, existing: { nullable: wasNullable ?? true } }, summary: `set ${op.table}.${op.column} NOT NULL (the validated check spares the scan)` },
        { op: drop, summary: `drop ${check}, now that the column is NOT NULL` },
      );
      continue;
    }
    transactional.push(c);
  }
  return { transactional, concurrent };
}

/** An index's name as an op names it: qualified by its table's schema outside public. */
function qualify(table: string, name: string): string {
  const [schema] = splitQualified(table);
  return schema === undefined ? name : `${schema}.${name}`;
}

function dropConcurrently(name: string): DropIndexOp {
  return { kind: "dropIndex", name, concurrently: true, ifExists: true };
}

/** A CREATE INDEX CONCURRENTLY that failed leaves an INVALID index behind: the next attempt drops it first. */
function cleanup(name: string, summary: string): Change {
  const op: Op = dropConcurrently(name);
  return { op, undo: [], summary: `drop a leftover invalid ${name}, if a failed attempt left one (before: ${summary})` };
}

/** `orders_status_not_null`, within PostgreSQL's 63-byte identifiers. */
function notNullCheckName(table: string, column: string): string {
  const base = `${splitQualified(table)[1]}_${column}`;
  return `${base.slice(0, 63 - "_not_null".length)}_not_null`;
}

