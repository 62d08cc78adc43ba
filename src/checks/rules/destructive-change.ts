import type { CheckedStatement, Report, Rule } from "../types.js";
import { acknowledge, alterTableCommands, body, columnConstraints, isNewTable, nameList, relationName, statementTable, tableKey, type Json } from "../sql.js";
import { dropName, losses } from "../losses.js";

/** `ALTER TYPE t RENAME TO t_old` as the keys of both names. */
function typeRenamedAside(s: CheckedStatement): { from: string; to: string } | null {
  if (s.kind !== "RenameStmt") return null;
  const b = body(s.ast, s.kind);
  if (b.renameType !== "OBJECT_TYPE" && b.renameType !== "OBJECT_DOMAIN") return null;
  const from = tableKey(dropName(b.object));
  const schema = from.includes(".") ? from.slice(0, from.lastIndexOf(".") + 1) : "";
  return { from: `type:${from}`, to: `type:${tableKey(schema + b.newname)}` };
}

/** Keys of what a list of statements creates, so dropping it again is not a loss. */
function created(statements: readonly CheckedStatement[], out = new Set<string>()): Set<string> {
  for (const s of statements) {
    const b = body(s.ast, s.kind);
    if (s.kind === "CreateStmt") out.add(`table:${tableKey(relationName(b.relation))}`);
    else if (s.kind === "CreateTableAsStmt" || s.kind === "ViewStmt") out.add(`table:${tableKey(relationName(b.into?.rel ?? b.view))}`);
    else if (s.kind === "IndexStmt" && b.idxname) out.add(`index:${b.idxname}`);
    else if (s.kind === "CreateEnumStmt") out.add(`type:${tableKey(nameList(b.typeName))}`);
    else if (s.kind === "CompositeTypeStmt") out.add(`type:${tableKey(relationName(b.typevar))}`);
    else if (s.kind === "CreateDomainStmt") out.add(`type:${tableKey(nameList(b.domainname))}`);
    else if (s.kind === "CreateSchemaStmt") out.add(`schema:${b.schemaname}`);
    else if (s.kind === "CreateSeqStmt") out.add(`sequence:${tableKey(relationName(b.sequence))}`);
    const table = statementTable(s);
    for (const c of alterTableCommands(s)) {
      if (c.subtype === "AT_AddColumn") out.add(`column:${table}.${c.def?.ColumnDef?.colname}`);
      if (c.subtype === "AT_AddConstraint" && c.def?.Constraint?.conname) out.add(`constraint:${c.def.Constraint.conname}`);
      if (c.subtype === "AT_AddConstraint" && c.def?.Constraint?.indexname) out.add(`index:${c.def.Constraint.indexname}`);
    }
    // Named constraints written inside CREATE TABLE or ADD COLUMN.
    const named = (k: Json) => k?.conname && out.add(`constraint:${k.conname}`);
    if (s.kind === "CreateStmt") {
      for (const e of b.tableElts ?? []) {
        named(e.Constraint);
        for (const k of columnConstraints(e.ColumnDef)) named(k);
      }
    }
    if (s.kind === "CreateDomainStmt") for (const k of b.constraints ?? []) named(k.Constraint);
    for (const c of alterTableCommands(s)) if (c.subtype === "AT_AddColumn") for (const k of columnConstraints(c.def?.ColumnDef)) named(k);
  }
  return out;
}

/**
 * Checklist 4: no unintended DROP, TRUNCATE or unbounded DELETE/UPDATE in an
 * upgrade. A downgrade that drops what its upgrade created is the point of a downgrade.
 */
export const destructiveChange: Rule = {
  id: "destructive-change",
  category: "checklist",
  severity: "error",
  summary: "DROP TABLE/COLUMN/CONSTRAINT/TYPE/SCHEMA, TRUNCATE, or DELETE/UPDATE without WHERE, not acknowledged with a reason.",
  squawk: ["ban-drop-column", "ban-drop-table", "ban-drop-not-null"],
  check(m) {
    const out: Report[] = [];
    // What the upgrade creates, read only when a downgrade drops something.
    let undoable: Set<string> | undefined;
    for (const direction of ["upgrade", "downgrade"] as const) {
      const statements = m[direction];
      const earlier = new Set<string>();
      /** Types renamed aside in this direction: the renamed key → the original name's key. */
      const renamedAside = new Map<string, string>();
      // `earlier` and `renamedAside` hold what the statements before `read` did; most
      // statements lose nothing, so they are read only up to the one that does.
      let read = 0;
      const readUpTo = (index: number) => {
        for (; read < index; read++) {
          const p = statements[read];
          created([p], earlier);
          const aside = typeRenamedAside(p);
          if (aside) renamedAside.set(aside.to, aside.from);
        }
      };
      for (const s of statements) {
        const lost = losses(s);
        if (lost.length) readUpTo(s.index);
        for (const loss of lost) {
          // An index holds no data (index-not-concurrent covers its lock); DROP DATABASE and
          // TRUNCATE … CASCADE have rules of their own, which say more than this one would.
          if (loss.key.startsWith("index:") || loss.key.startsWith("database:")) continue;
          if (s.kind === "TruncateStmt" && body(s.ast, s.kind).behavior === "DROP_CASCADE") continue;
          // Dropping what this same direction made earlier (a scratch table) loses nothing.
          if (loss.key.startsWith("table:") && isNewTable(statements, loss.key.slice(6), s.index)) continue;
          if (earlier.has(loss.key)) continue;
          // Recreating a type (rename it aside, create it anew, convert the columns, drop the old one):
          // the rows moved to the new type, and the DROP fails while any column still uses the old one.
          const original = renamedAside.get(loss.key);
          if (original && earlier.has(original)) continue;
          if (direction === "downgrade" && (undoable ??= created(m.upgrade)).has(loss.key)) continue;
          out.push({
            statement: s,
            message: `${direction === "upgrade" ? "upgrade" : "downgrade"} runs ${loss.what}: data or an object is lost${direction === "downgrade" ? " that the upgrade did not create" : ""}.`,
            fix: `If it is unintended (autogenerate can produce phantom drops), remove it. If it is intended, acknowledge it with ${acknowledge(s, "destructive-change")}; the reason is shown in every report.`,
          });
        }
      }
    }
    return out;
  },
};
