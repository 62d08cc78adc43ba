import type { Op } from "../../ops/types.js";
import type { ForeignKey, Table } from "../../schema/types.js";
import type { Placed } from "../order.js";
import { candidateNote, key, opName, place, type Context } from "./context.js";
import type { KeyFacts } from "./constraints.js";
import { addConstraintSql, createCheck, createIndex, createTableOp, createUnique, fkOp, tableCommentOps } from "./objects.js";
import { rowSecurityOps } from "./policies.js";

/**
 * Whether a foreign key of dropped table `t` goes with the DROP TABLE, not
 * as a drop of its own: it references `t` itself, or a kept table whose keys
 * stay (so the downgrade can restore it right after the table). A key into
 * another dropped table, or into one whose key is rebuilt, keeps its own drop
 * so the order of the drops does not matter.
 */
export function goesWithTable(ctx: Context, keys: KeyFacts, t: Table, fk: ForeignKey): boolean {
  const ref = `${fk.references.schema}.${fk.references.table}`;
  if (ref === key(t)) return true;
  return ctx.bTables.has(ref) && !keys.keysDropped.has(ref);
}

/** Tables created (with their primary key) and dropped (the undo restores the table and what it held). Kept tables are the column and constraint comparators'. */
export function compareTables(ctx: Context, keys: KeyFacts): Placed[] {
  const out: Placed[] = [];
  for (const t of ctx.b.tables) {
    if (ctx.aTables.has(key(t))) continue;
    out.push(place("createTables", { op: createTableOp(t, ctx.b, ctx.bSerials), summary: `create table ${opName(t)}`, review: candidateNote(ctx, "table", t) }));
  }
  for (const t of ctx.a.tables) {
    if (ctx.bTables.has(key(t))) continue;
    const { kind: _k, ...existing } = createTableOp(t, ctx.a, ctx.aSerials);
    const restore: Op[] = [{ kind: "createTable", ...existing }];
    for (const x of t.uniques) restore.push(createUnique(t, x));
    for (const x of t.checks) restore.push(createCheck(t, x));
    for (const x of t.exclusions) restore.push(addConstraintSql(t, x.name, x.definition));
    for (const x of t.indexes) restore.push(createIndex(t, x));
    for (const fk of t.foreignKeys) if (goesWithTable(ctx, keys, t, fk)) restore.push(fkOp(t, fk));
    restore.push(...rowSecurityOps(t));
    restore.push(...tableCommentOps(t));
    out.push(
      place("dropTables", {
        op: { kind: "dropTable", table: opName(t), existing },
        undo: restore,
        review: ["destructive: drops the table and every row in it.", ...(candidateNote(ctx, "table", t) ?? [])],
        summary: `drop table ${opName(t)}`,
      }),
    );
  }
  return out;
}
