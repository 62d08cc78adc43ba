import type { CheckedStatement, Rule } from "../types.js";
import { acknowledge, alterTableCommands, before, columnConstraints, columnKey, columnType, firstIndexes, fixFor, onExistingTable, provenNotNull, SERIAL_TYPES, statementTable, body, type FirstIndexes, type Json } from "../sql.js";

/** Whether an added column fills existing rows by itself: a default, identity, generated, or serial. */
function fillsItself(def: Json): boolean {
  if (SERIAL_TYPES.has(columnType(def.typeName).name)) return true;
  return columnConstraints(def).some((c) => ["CONSTR_DEFAULT", "CONSTR_IDENTITY", "CONSTR_GENERATED"].includes(c.contype));
}

const backfills = new WeakMap<readonly CheckedStatement[], FirstIndexes>();

/** Earlier statements that give every row of `table` a value in `column`: an UPDATE setting it, or adding it with a default. */
function backfilledBefore(statements: readonly CheckedStatement[], s: CheckedStatement, table: string, column: string): boolean {
  const filled = firstIndexes(backfills, statements, (p, seen) => {
    const table = statementTable(p);
    if (p.kind === "UpdateStmt") for (const t of body(p.ast, "UpdateStmt").targetList ?? []) if (t.ResTarget?.name !== undefined) seen(columnKey(table, t.ResTarget.name));
    for (const c of alterTableCommands(p)) {
      if (c.subtype === "AT_AddColumn" && c.def?.ColumnDef?.colname !== undefined && fillsItself(c.def.ColumnDef)) seen(columnKey(table, c.def.ColumnDef.colname));
    }
  });
  return before(filled, columnKey(table, column), s.index);
}

/**
 * Checklist 2: new NOT NULL columns need a server default; SET NOT NULL needs a
 * backfill before it, or a validated CHECK (column IS NOT NULL) that proves no
 * row is NULL.
 */
export const notNullWithoutDefault: Rule = {
  id: "not-null-without-default",
  category: "checklist",
  severity: "error",
  summary: "A NOT NULL column added to an existing table without a server default, or SET NOT NULL with no backfill or validated CHECK before it.",
  squawk: ["adding-required-field"],
  check(m) {
    const out = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      for (const c of alterTableCommands(s)) {
        if (!onExistingTable(s, m.upgrade, table)) break;
        if (c.subtype === "AT_AddColumn") {
          const def = c.def?.ColumnDef;
          if (!def || fillsItself(def)) continue;
          if (!columnConstraints(def).some((k) => k.contype === "CONSTR_NOTNULL" || k.contype === "CONSTR_PRIMARY")) continue;
          out.push({
            statement: s,
            message: `Column ${table}.${def.colname} is added as NOT NULL without a server default: the statement fails on a table that has rows.`,
            fix: fixFor(s, {
              op: `Add a serverDefault (e.g. serverDefault: "''" or "false"), or add it with nullable: true, backfill it, then make it NOT NULL.`,
              sql: `Add a DEFAULT (e.g. ADD COLUMN ${def.colname} … NOT NULL DEFAULT …), or add it nullable, backfill with UPDATE, then SET NOT NULL.`,
            }),
          });
        } else if (c.subtype === "AT_SetNotNull" && !backfilledBefore(m.upgrade, s, table, c.name) && !provenNotNull(m.upgrade, s, table, c.name)) {
          out.push({
            statement: s,
            message: `${table}.${c.name} is made NOT NULL with no backfill or validated CHECK before it in this migration: it fails if any row holds NULL.`,
            fix: `Backfill first in the same migration (UPDATE ${table} SET ${c.name} = … WHERE ${c.name} IS NULL), or prove it with a validated CHECK (${c.name} IS NOT NULL) before the SET NOT NULL; if no row can be NULL for another reason, acknowledge it with ${acknowledge(s, "not-null-without-default")}.`,
          });
        }
      }
    }
    return out;
  },
};
