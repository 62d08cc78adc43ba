import type { CheckedStatement, Report, Rule } from "../types.js";
import { alterTableCommands, body, columnConstraints, fixFor, type Json } from "../sql.js";
import { referencesClauses } from "../tokens.js";

/**
 * The foreign keys a statement adds, in the order they are written: only
 * CREATE TABLE and ALTER TABLE … ADD (a constraint, or a column's REFERENCES) add one.
 */
function foreignKeys(s: CheckedStatement): Json[] {
  const found: Json[] = [];
  const fromColumn = (def: Json) => found.push(...columnConstraints(def).filter((k) => k.contype === "CONSTR_FOREIGN"));
  if (s.kind === "CreateStmt") {
    for (const e of body(s.ast, "CreateStmt").tableElts ?? []) {
      if (e.ColumnDef) fromColumn(e.ColumnDef);
      else if (e.Constraint?.contype === "CONSTR_FOREIGN") found.push(e.Constraint);
    }
  }
  for (const c of alterTableCommands(s)) {
    if (c.subtype === "AT_AddColumn") fromColumn(c.def?.ColumnDef);
    else if (c.subtype === "AT_AddConstraint" && c.def?.Constraint?.contype === "CONSTR_FOREIGN") found.push(c.def.Constraint);
  }
  return found;
}

/** Checklist 3: every foreign key says what happens to its rows when the parent row goes. */
export const foreignKeyOnDelete: Rule = {
  id: "foreign-key-on-delete",
  category: "checklist",
  severity: "warning",
  summary: "A foreign key without an explicit ON DELETE action.",
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const fks = foreignKeys(s);
      if (!fks.length) continue;
      // NO ACTION is both the default and what the parse tree shows when ON DELETE is absent;
      // PostgreSQL's scanner tells them apart (the nth REFERENCES clause is the nth foreign key).
      // Without the word ACTION in the text, no clause can say ON DELETE NO ACTION: no need to scan.
      const clauses = fks.some((fk) => (fk.fk_del_action ?? "a") === "a") && /action/i.test(s.sql) ? referencesClauses(s.sql) : [];
      fks.forEach((fk, i) => {
        if ((fk.fk_del_action ?? "a") !== "a" || clauses[i]?.onDelete) return;
        const target = fk.pktable?.relname ?? "its parent table";
        out.push({
          statement: s,
          message: `Foreign key to ${target} has no ON DELETE: deleting a ${target} row that is still referenced fails, by default rather than by choice.`,
          fix: fixFor(s, {
            op: `Choose on purpose: onDelete: "CASCADE" (children go with the parent), "SET NULL" (they stay, unlinked) or "RESTRICT" (the delete is refused).`,
            sql: "Choose on purpose: add ON DELETE CASCADE (children go with the parent), ON DELETE SET NULL (they stay, unlinked) or ON DELETE RESTRICT (the delete is refused).",
          }),
        });
      });
    }
    return out;
  },
};
