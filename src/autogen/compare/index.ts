/**
 * Autogenerate's comparison: one comparator module per object kind, each
 * turning (current, desired) into changes, and one ordering stage
 * (../order.ts) that runs them in dependency order.
 *
 * How to add a comparator (one file here per object kind):
 *
 * - It receives the read-only `Context` (context.ts): the current schema `a`
 *   (renames already applied) and the desired schema `b`, their tables by
 *   key (`schema.name`), the sequences that belong to serial columns, and the
 *   undecided rename candidates. If it depends on what another comparator
 *   decided, it also receives that comparator's facts (`EnumFacts`,
 *   `ColumnFacts`, `KeyFacts`, the set of views rebuilt): plain read-only
 *   values computed once, below, before it runs. Comparators never share
 *   mutable state; a new cross-kind fact is a new field of a facts value,
 *   returned by the comparator that decides it.
 * - It returns `Placed[]`: each change (../change.ts: an op, its undo when
 *   `reverseOp(op)` cannot know it, REVIEW notes, a summary) with the phase
 *   it runs in (`place(phase, change)`). Ordering is decided by the phase:
 *   the phases run in the order of `PHASES` in ../order.ts (creates schema →
 *   extension/role → enum/sequence → table → column → constraint → foreign
 *   key → policy → view → comment, drops in reverse before them), and within
 *   a phase in the order the comparators are called below, each in its own
 *   output order. A new kind picks the phase that puts it after what it
 *   depends on (or adds a phase to PHASES at the right place).
 * - Name objects with `opName` (op arguments) and `sqlName` (SQL) from
 *   names.ts; ops made from Schema objects that several comparators need
 *   (a dropped table's undo restores its constraints and indexes) are in
 *   objects.ts.
 * - Call it from `diffSchemas` below, after the comparators whose facts it
 *   reads.
 */
import type { Op } from "../../ops/types.js";
import { reverseOp } from "../../ops/definitions.js";
import type { Schema } from "../../schema/types.js";
import { applyRenames, findRenameCandidates, type Rename, type RenameCandidate } from "../renames.js";
import type { Change } from "../change.js";
import { orderChanges, type Placed } from "../order.js";
import { makeContext, place } from "./context.js";
import { compareNamespaces, compareExtensions } from "./schemas.js";
import { compareRoles } from "./roles.js";
import { compareEnums } from "./enums.js";
import { compareSequences } from "./sequences.js";
import { compareColumns } from "./columns.js";
import { compareConstraints } from "./constraints.js";
import { compareTables } from "./tables.js";
import { compareForeignKeys } from "./foreign-keys.js";
import { comparePolicies } from "./policies.js";
import { compareViews, viewsToRebuild } from "./views.js";
import { compareComments } from "./comments.js";

export type { Change } from "../change.js";
export { opName, sqlName } from "./names.js";

export interface DiffOptions {
  /** Renames decided ahead (`--rename products.sku=article_no`). */
  renames?: readonly Rename[];
}

export interface DiffResult {
  readonly changes: readonly Change[];
  /** Renames that were applied (given or confirmed). */
  readonly renames: readonly Rename[];
  /** Rename candidates left undecided: written as drop + add with a REVIEW naming them. */
  readonly candidates: readonly RenameCandidate[];
}

/**
 * The changes that turn database `current` into `desired`, ordered so each
 * runs after what it depends on: schemas and enum values first, foreign keys
 * and indexes dropped before their tables and columns, tables created before
 * the columns, constraints and foreign keys that use them, views last.
 *
 * @example
 * const { changes } = diffSchemas(await introspect(db), model.schema);
 * const { upgrade, downgrade } = renderChanges(changes);
 */
export function diffSchemas(current: Schema, desired: Schema, opts: DiffOptions = {}): DiffResult {
  const renames = [...(opts.renames ?? [])];
  const a = applyRenames(current, renames);
  const candidates = findRenameCandidates(a, desired);
  const ctx = makeContext(a, desired, candidates);
  const enums = compareEnums(ctx);
  const columns = compareColumns(ctx, enums.facts);
  const constraints = compareConstraints(ctx, columns.facts);
  const rebuiltViews = viewsToRebuild(ctx, columns.facts, enums.facts);
  const placed: Placed[] = [
    ...compareNamespaces(ctx),
    ...compareExtensions(ctx),
    ...compareRoles(ctx),
    ...renames.map((r) => place("renames", renameChange(r))),
    ...enums.changes,
    ...compareSequences(ctx),
    ...columns.changes,
    ...compareTables(ctx, constraints.facts),
    ...constraints.changes,
    ...compareForeignKeys(ctx, columns.facts, constraints.facts),
    ...comparePolicies(ctx, columns.facts),
    ...compareViews(ctx, rebuiltViews),
    ...compareComments(ctx, columns.facts, rebuiltViews),
  ];
  return { changes: orderChanges(placed), renames, candidates };
}

function renameChange(r: Rename): Change {
  const table = `${r.schema === "public" ? "" : `${r.schema}.`}${r.table}`;
  if (r.column === undefined) return { op: { kind: "renameTable", table, newName: r.to }, summary: `rename table ${table} to ${r.to}` };
  return { op: { kind: "renameColumn", table, column: r.column, newName: r.to }, summary: `rename column ${table}.${r.column} to ${r.to}` };
}

/** The undo of a change: its own, or the op's reverse. */
export function undoOf(change: Change): readonly Op[] | undefined {
  return change.undo ?? reverseOp(change.op);
}
