import type { Op } from "../../ops/types.js";
import type { Change } from "../change.js";
import { quoteIdent } from "../../ops/quote.js";
import { reverseOp } from "../../ops/definitions.js";
import type { Table } from "../../schema/types.js";
import type { Placed } from "../order.js";
import { key, opName, place, same, type Context } from "./context.js";
import type { ColumnFacts } from "./columns.js";
import { addConstraintSql, checkShape, createCheck, createIndex, createUnique, dropConstraint, dropIndex, indexShape, pkShape, uniqueShape } from "./objects.js";

/** What the constraint comparator decides that the table and foreign-key comparators read. */
export interface KeyFacts {
  /** Tables whose keys (primary key, unique constraint or unique index) are dropped: foreign keys to them are rebuilt. */
  readonly keysDropped: ReadonlySet<string>;
}

/** Whether an object of table `t` (a constraint or index of the current schema) is over a column that is dropped. */
export function touchesDropped(columns: ColumnFacts, t: Table, x: object): boolean {
  const prefix = `${key(t)}.`;
  const cols = [...columns.dropped].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  if (!cols.length) return false;
  const o = x as { columns?: readonly (string | { column?: string })[]; include?: readonly string[]; definition?: string; where?: string | null };
  const names = [...(o.columns ?? []).map((c) => (typeof c === "string" ? c : c.column ?? "")), ...(o.include ?? [])];
  const text = [o.definition ?? "", o.where ?? ""].join(" ");
  return cols.some((c) => names.includes(c) || text.includes(quoteIdent(c)));
}

/**
 * Primary key, unique, check and exclusion constraints and indexes of every
 * desired table: dropped when gone, changed or over a dropped column,
 * created when new or changed. (Dropped tables take theirs with them.)
 */
export function compareConstraints(ctx: Context, columns: ColumnFacts): { changes: Placed[]; facts: KeyFacts } {
  const out: Placed[] = [];
  const keysDropped = new Set<string>();
  const touches = (t: Table, x: object) => touchesDropped(columns, t, x);

  const named = <T extends { name: string }>(
    as: readonly T[],
    bs: readonly T[],
    shape: (x: T) => unknown,
    create: (x: T) => Op,
    drop: (x: T) => Op,
    what: string,
    t: Table,
    isKey: (x: T) => boolean,
    index?: (x: T) => Change["index"],
  ) => {
    const table = opName(t);
    for (const x of as) {
      const y = bs.find((z) => z.name === x.name);
      if (y && same(shape(x), shape(y)) && !touches(t, x)) continue;
      if (isKey(x)) keysDropped.add(key(t));
      // A drop written as SQL (an index with an operator class, a deferrable constraint) is undone by its create.
      const op = drop(x);
      out.push(place("dropConstraints", { op, ...(reverseOp(op) ? {} : { undo: [create(x)] }), summary: `drop ${what} ${x.name} on ${table}` }));
    }
    for (const y of bs) {
      const x = as.find((z) => z.name === y.name);
      if (x && same(shape(x), shape(y)) && !touches(t, x)) continue;
      // A create written as SQL is undone by its drop.
      const op = create(y);
      out.push(place("createConstraints", { op, ...(reverseOp(op) ? {} : { undo: [drop(y)] }), ...(index ? { index: index(y) } : {}), summary: `${x ? "recreate" : "add"} ${what} ${y.name} on ${table}` }));
    }
  };

  for (const b of ctx.b.tables) {
    const a = ctx.aTables.get(key(b)) ?? null;
    const table = opName(b);
    const aPk = a?.primaryKey ?? null;
    const bPk = b.primaryKey;
    if (a && (!same(pkShape(aPk), pkShape(bPk)) || (aPk && touches(a, aPk)))) {
      if (aPk) {
        keysDropped.add(key(b));
        out.push(
          place("dropConstraints", {
            op: { kind: "dropConstraint", name: aPk.name, table, existing: { type: "primaryKey", columns: aPk.columns } },
            summary: `drop primary key ${aPk.name} of ${table}`,
          }),
        );
      }
      if (bPk) out.push(place("createConstraints", { op: { kind: "createPrimaryKey", name: bPk.name, table, columns: bPk.columns }, summary: `add primary key ${bPk.name} to ${table} (${bPk.columns.join(", ")})` }));
    }
    named(a?.uniques ?? [], b.uniques, uniqueShape, (x) => createUnique(b, x), (x) => dropConstraint(b, x.name, createUnique(b, x)), "unique constraint", b, () => true);
    named(a?.checks ?? [], b.checks, checkShape, (x) => createCheck(b, x), (x) => dropConstraint(b, x.name, createCheck(b, x)), "check constraint", b, () => false);
    named(
      a?.exclusions ?? [],
      b.exclusions,
      (x) => [x.definition, x.deferrable, x.initiallyDeferred],
      (x) => addConstraintSql(b, x.name, x.definition),
      (x) => dropConstraint(b, x.name, addConstraintSql(b, x.name, x.definition)),
      "exclusion constraint",
      b,
      () => false,
    );
    named(a?.indexes ?? [], b.indexes, indexShape, (x) => createIndex(b, x), (x) => dropIndex(b, x), "index", b, (x) => x.unique, (x) => ({
      table: opName(b),
      name: x.name,
      definition: x.definition,
      partitioned: / ON ONLY /.test(x.definition),
    }));
  }
  return { changes: out, facts: { keysDropped } };
}
