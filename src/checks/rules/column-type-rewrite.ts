import type { Report, Rule } from "../types.js";
import { alterTableCommands, columnType, fixFor, onExistingTable, statementTable, typeText, type Json } from "../sql.js";
import { typeChangeRewrites } from "../../ops/rewrite.js";

/**
 * Whether a USING expression computes something other than the column itself.
 * PostgreSQL skips the rewrite only when each new value is the old one,
 * unchanged or binary-coerced: `USING col` or `USING col::newtype` keeps that
 * chance, any other expression is evaluated for every row.
 */
function usingComputes(expr: Json, column: string): boolean {
  if (!expr) return false;
  const ref = expr.TypeCast ? expr.TypeCast.arg : expr;
  const fields = ref?.ColumnRef?.fields ?? [];
  return !(fields.length === 1 && fields[0]?.String?.sval === column);
}

/** Lock safety: most type changes rewrite the table and its indexes under ACCESS EXCLUSIVE. */
export const columnTypeRewrite: Rule = {
  id: "column-type-rewrite",
  category: "lock",
  severity: "warning",
  summary: "A column type change that rewrites the table under an ACCESS EXCLUSIVE lock.",
  squawk: ["changing-column-type"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        if (c.subtype !== "AT_AlterColumnType") continue;
        const to = columnType(c.def?.ColumnDef?.typeName);
        const from = s.op.kind === "alterColumn" ? s.op.existing?.type : undefined;
        const computed = usingComputes(c.def?.ColumnDef?.raw_default, c.name);
        if (!computed && from !== undefined && !to.array && !typeChangeRewrites(from, typeText(to))) continue;
        const how = computed ? "rewrites (its USING expression is computed for every row)" : from ? "rewrites" : "can rewrite";
        out.push({
          statement: s,
          message: `Changing ${table}.${c.name} to ${typeText(to)}${from ? ` from ${from}` : ""} ${how} the whole table and its indexes under an ACCESS EXCLUSIVE lock: reads and writes wait until it finishes.`,
          fix: fixFor(s, {
            op: "Add a new column of the new type, backfill it in batches, switch the code over, then drop the old column. (Widening varchar or varchar → text is free: pass existing: { type } so Sluice can tell.)",
            sql: "Add a new column of the new type, backfill it in batches, switch the code over, then drop the old column. (Widening varchar(n) or varchar → text does not rewrite.)",
          }),
        });
      }
    }
    return out;
  },
};
