import type { CheckedStatement, Report, Rule } from "../types.js";
import { alterTableCommands, body, columnConstraints, fixFor, type Json } from "../sql.js";
import { referencesClauses } from "../tokens.js";

/** A foreign key a statement adds, with its referencing columns when the statement names them. */
interface AddedKey {
  readonly fk: Json;
  readonly columns: readonly string[];
}

/** The columns a statement declares NOT NULL (or as primary key, which implies it). */
function notNullColumns(defs: readonly Json[], tableKeys: readonly string[]): Set<string> {
  const out = new Set(tableKeys);
  for (const d of defs) if (columnConstraints(d).some((k) => k.contype === "CONSTR_NOTNULL" || k.contype === "CONSTR_PRIMARY")) out.add(d.colname);
  return out;
}

/**
 * The foreign keys a statement adds, in the order they are written: only
 * CREATE TABLE and ALTER TABLE … ADD (a constraint, or a column's REFERENCES) add one.
 */
function foreignKeys(s: CheckedStatement): { keys: AddedKey[]; notNull: Set<string> } {
  const keys: AddedKey[] = [];
  const defs: Json[] = [];
  const names = (list: Json[] | undefined) => (list ?? []).map((n: Json) => n?.String?.sval).filter(Boolean);
  const fromColumn = (def: Json) => {
    defs.push(def);
    keys.push(...columnConstraints(def).filter((k) => k.contype === "CONSTR_FOREIGN").map((fk) => ({ fk, columns: [def.colname] })));
  };
  let tableKeys: string[] = [];
  if (s.kind === "CreateStmt") {
    for (const e of body(s.ast, "CreateStmt").tableElts ?? []) {
      if (e.ColumnDef) fromColumn(e.ColumnDef);
      else if (e.Constraint?.contype === "CONSTR_FOREIGN") keys.push({ fk: e.Constraint, columns: names(e.Constraint.fk_attrs) });
      else if (e.Constraint?.contype === "CONSTR_PRIMARY") tableKeys = names(e.Constraint.keys);
    }
  }
  for (const c of alterTableCommands(s)) {
    if (c.subtype === "AT_AddColumn") fromColumn(c.def?.ColumnDef);
    else if (c.subtype === "AT_AddConstraint" && c.def?.Constraint?.contype === "CONSTR_FOREIGN") keys.push({ fk: c.def.Constraint, columns: names(c.def.Constraint.fk_attrs) });
  }
  return { keys, notNull: notNullColumns(defs, tableKeys) };
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
      const { keys, notNull } = foreignKeys(s);
      if (!keys.length) continue;
      const fks = keys.map((k) => k.fk);
      // ON DELETE SET NULL on a NOT NULL column is accepted here and fails at the first delete of a referenced parent.
      for (const { fk, columns } of keys) {
        if (fk.fk_del_action !== "n") continue;
        const setCols = (fk.fk_del_set_cols ?? []).map((n: Json) => n?.String?.sval);
        const nulled = (setCols.length ? setCols : columns).filter((c: string) => notNull.has(c));
        if (!nulled.length) continue;
        out.push({
          statement: s,
          message: `ON DELETE SET NULL on ${nulled.join(", ")}, which ${nulled.length === 1 ? "is" : "are"} NOT NULL: PostgreSQL accepts the key, and the first delete of a referenced ${fk.pktable?.relname ?? "parent"} row fails with a not-null violation.`,
          fix: `Choose an action the column allows: make ${nulled.join(", ")} nullable, or use ON DELETE CASCADE or RESTRICT.`,
        });
      }
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
