import { quoteLiteral } from "../../ops/quote.js";
import type { Schema, Table } from "../../schema/types.js";
import type { RenameCandidate } from "../renames.js";
import type { Change } from "../change.js";
import type { Phase, Placed } from "../order.js";
import { serialSequences } from "./objects.js";
import { key, opName } from "./names.js";

export { key, opName, qualifiedTypeName, same, sqlName } from "./names.js";

/** What every comparator reads; nothing in it is changed by a comparator. */
export interface Context {
  /** The current schema, renames applied. */
  readonly a: Schema;
  /** The desired schema. */
  readonly b: Schema;
  readonly aTables: ReadonlyMap<string, Table>;
  readonly bTables: ReadonlyMap<string, Table>;
  /** Sequences that belong to a serial column (written as `serial`, not as a sequence), by key. */
  readonly aSerials: ReadonlySet<string>;
  readonly bSerials: ReadonlySet<string>;
  /** Rename candidates left undecided (named in REVIEW notes). */
  readonly candidates: readonly RenameCandidate[];
}

export function makeContext(a: Schema, b: Schema, candidates: readonly RenameCandidate[]): Context {
  return {
    a,
    b,
    aTables: new Map(a.tables.map((t) => [key(t), t])),
    bTables: new Map(b.tables.map((t) => [key(t), t])),
    aSerials: serialSequences(a),
    bSerials: serialSequences(b),
    candidates,
  };
}

export const place = (phase: Phase, change: Change): Placed => ({ phase, change });

export function execute(sql: string, undoSql: string, summary: string): Change {
  return { op: { kind: "execute", sql }, undo: [{ kind: "execute", sql: undoSql }], summary };
}

/** A REVIEW note naming the rename candidate a dropped or added table or column may be. */
export function candidateNote(ctx: Context, kind: "table" | "column", t: Table, column?: string): string[] | undefined {
  const name = opName(t);
  const c = ctx.candidates.find((x) =>
    kind === "table" ? x.kind === "table" && (x.from === name || x.to === name) : x.kind === "column" && x.table === name && (x.from === column || x.to === column),
  );
  if (!c) return undefined;
  const arg = c.kind === "table" ? `${c.from}=${c.to.split(".").pop()}` : `${c.table}.${c.from}=${c.to}`;
  return [`${c.kind} ${c.kind === "table" ? c.from : `${c.table}.${c.from}`} may have been renamed to ${c.to}: to keep its data, run again with --rename ${arg}.`];
}

/** A comment change, or nothing when it stays. */
export function commentChange(what: string, x: { schema: string; name: string }, from: string | null, to: string | null, target: string, label?: string): Change[] {
  if (from === to) return [];
  const set = (c: string | null) => `COMMENT ON ${target} IS ${c === null ? "NULL" : quoteLiteral(c)}`;
  return [execute(set(to), set(from), `comment on ${what} ${label ?? opName(x)}`)];
}
