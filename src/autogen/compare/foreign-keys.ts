import type { ForeignKey, Table } from "../../schema/types.js";
import type { Placed } from "../order.js";
import { key, opName, place, same, type Context } from "./context.js";
import type { ColumnFacts } from "./columns.js";
import { touchesDropped, type KeyFacts } from "./constraints.js";
import { dropConstraint, fkOp, fkShape } from "./objects.js";
import { goesWithTable } from "./tables.js";

/**
 * Foreign keys dropped (before the keys and columns under them) and created
 * (after every table and constraint). A kept foreign key is rebuilt when the
 * key it references is dropped, or a column under it is dropped or retyped.
 */
export function compareForeignKeys(ctx: Context, columns: ColumnFacts, keys: KeyFacts): Placed[] {
  const out: Placed[] = [];
  const rebuild = (t: Table, fk: ForeignKey): boolean => {
    const ref = `${fk.references.schema}.${fk.references.table}`;
    if (keys.keysDropped.has(ref)) return true;
    if (touchesDropped(columns, t, fk)) return true;
    if (fk.references.columns.some((c) => columns.dropped.has(`${ref}.${c}`))) return true;
    if (fk.columns.some((c) => columns.retyped.has(`${key(t)}.${c}`))) return true;
    return fk.references.columns.some((c) => columns.retyped.has(`${ref}.${c}`));
  };
  const fksOf = (t: Table | undefined) => t?.foreignKeys ?? [];
  for (const t of new Set([...ctx.aTables.keys(), ...ctx.bTables.keys()])) {
    const a = ctx.aTables.get(t);
    const b = ctx.bTables.get(t);
    const table = opName((b ?? a)!);
    for (const fk of fksOf(a)) {
      // DROP TABLE takes the table's own foreign keys with it (its undo restores them).
      if (!b && goesWithTable(ctx, keys, a!, fk)) continue;
      const other = fksOf(b).find((x) => x.name === fk.name);
      if (other && same(fkShape(fk), fkShape(other)) && !rebuild(a!, fk)) continue;
      const restore = fkOp(a!, fk);
      out.push(place("dropForeignKeys", { op: dropConstraint(a!, fk.name, restore), undo: [restore], summary: `drop foreign key ${fk.name} on ${table}` }));
    }
    for (const fk of fksOf(b)) {
      const old = fksOf(a).find((x) => x.name === fk.name);
      if (old && same(fkShape(old), fkShape(fk)) && !rebuild(a!, old)) continue;
      const refs = `${fk.references.table}(${fk.references.columns.join(", ")})`;
      out.push(
        place("createForeignKeys", {
          op: fkOp(b!, fk),
          summary: `add foreign key ${fk.name} on ${table} → ${refs}${fk.onDelete !== "no action" ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : ""}`,
        }),
      );
    }
  }
  return out;
}
