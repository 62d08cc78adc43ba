import type { CheckedStatement, Report, Rule } from "../types.js";
import { alterTableCommands, columnConstraints, fixFor, onExistingTable, statementTable, type Json } from "../sql.js";

/** The fix for a UNIQUE built under lock: build the index concurrently, then attach it. */
function uniqueFix(s: CheckedStatement, table: string, name: string, column?: string): string {
  const cols = column ? `["${column}"]` : "[...]";
  const before = column ? `Add ${column} without UNIQUE, then build` : "Build";
  return fixFor(s, {
    op: `${before} the index with op.createIndex("${name}", "${table}", ${cols}, { unique: true, concurrently: true }) in a non-transactional migration, then op.createUniqueConstraint("${name}", "${table}", ${cols}, { usingIndex: "${name}" }).`,
    sql: `${before} it with CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (${column ?? "…"}) in a non-transactional migration, then ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}.`,
  });
}

/** Lock safety: ADD UNIQUE (also on a new column) builds its index under ACCESS EXCLUSIVE; build it concurrently and attach it. */
export const uniqueConstraintWithoutIndex: Rule = {
  id: "unique-constraint-without-index",
  category: "lock",
  severity: "warning",
  summary: "A unique constraint added to an existing table directly instead of from an index built CONCURRENTLY.",
  squawk: ["disallowed-unique-constraint"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        if (c.subtype === "AT_AddColumn") {
          // ADD COLUMN … UNIQUE builds the index over every existing row in the same statement.
          const def = c.def?.ColumnDef;
          if (!columnConstraints(def).some((k: Json) => k.contype === "CONSTR_UNIQUE")) continue;
          out.push({
            statement: s,
            message: `ADD COLUMN ${def.colname} … UNIQUE builds a unique index over every row of ${table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it is built.`,
            fix: uniqueFix(s, table, `${table}_${def.colname}_key`, def.colname),
          });
          continue;
        }
        const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
        // EXCLUDE has no USING INDEX path at all: exclusion-constraint reports it.
        if (k?.contype !== "CONSTR_UNIQUE" || k.indexname) continue;
        out.push({
          statement: s,
          message: `ADD UNIQUE builds its index on ${table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it is built.`,
          fix: uniqueFix(s, table, k.conname ?? `${table}_key`),
        });
      }
    }
    return out;
  },
};
