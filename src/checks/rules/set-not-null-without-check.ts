import type { CheckedStatement, Report, Rule } from "../types.js";
import { alterTableCommands, onExistingTable, statementTable, type Json } from "../sql.js";

/** Whether `expr` is exactly `column IS NOT NULL`. */
function isNotNullTest(expr: Json, column: string): boolean {
  const t = expr?.NullTest;
  const fields = t?.arg?.ColumnRef?.fields ?? [];
  return t?.nulltesttype === "IS_NOT_NULL" && fields.length === 1 && fields[0]?.String?.sval === column;
}

/** Whether a validated CHECK (column IS NOT NULL) on `table` exists before `s` in the migration. */
function provenNotNull(statements: readonly CheckedStatement[], s: CheckedStatement, table: string, column: string): boolean {
  const pending = new Set<string>();
  for (const p of statements.slice(0, s.index)) {
    if (statementTable(p) !== table) continue;
    for (const c of alterTableCommands(p)) {
      const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
      if (k?.contype === "CONSTR_CHECK" && isNotNullTest(k.raw_expr, column)) {
        if (!k.skip_validation) return true;
        if (k.conname) pending.add(k.conname);
      }
      if (c.subtype === "AT_ValidateConstraint" && pending.has(c.name)) return true;
    }
  }
  return false;
}

/** Lock safety: SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a validated CHECK already proves it. */
export const setNotNullWithoutCheck: Rule = {
  id: "set-not-null-without-check",
  category: "lock",
  severity: "warning",
  summary: "SET NOT NULL on an existing table without a validated CHECK (column IS NOT NULL) first.",
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        if (c.subtype !== "AT_SetNotNull" || provenNotNull(m.upgrade, s, table, c.name)) continue;
        out.push({
          statement: s,
          message: `SET NOT NULL on ${table}.${c.name} scans every row under an ACCESS EXCLUSIVE lock: reads and writes wait for the scan.`,
          fix: `First ADD CONSTRAINT ${c.name}_not_null CHECK (${c.name} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT ${c.name}_not_null (writes go on meanwhile); SET NOT NULL then uses the constraint and skips the scan. Drop the CHECK afterwards.`,
        });
      }
    }
    return out;
  },
};
