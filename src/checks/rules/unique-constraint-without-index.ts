import type { Report, Rule } from "../types.js";
import { alterTableCommands, fixFor, onExistingTable, statementTable } from "../sql.js";

/** Lock safety: ADD UNIQUE builds its index under ACCESS EXCLUSIVE; build it concurrently and attach it. */
export const uniqueConstraintWithoutIndex: Rule = {
  id: "unique-constraint-without-index",
  category: "lock",
  severity: "warning",
  summary: "A unique constraint added to an existing table directly instead of from an index built CONCURRENTLY.",
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
        if (!k || (k.contype !== "CONSTR_UNIQUE" && k.contype !== "CONSTR_EXCLUSION") || k.indexname) continue;
        const name = k.conname ?? `${table}_key`;
        out.push({
          statement: s,
          message: `ADD ${k.contype === "CONSTR_UNIQUE" ? "UNIQUE" : "EXCLUDE"} builds its index on ${table} under an ACCESS EXCLUSIVE lock: reads and writes wait until it is built.`,
          fix: fixFor(s, {
            op: `Build the index first with op.createIndex("${name}", "${table}", [...], { unique: true, concurrently: true }) in a non-transactional migration, then op.createUniqueConstraint("${name}", "${table}", [...], { usingIndex: "${name}" }).`,
            sql: `CREATE UNIQUE INDEX CONCURRENTLY ${name} ON ${table} (…) in a non-transactional migration, then ALTER TABLE ${table} ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}.`,
          }),
        });
      }
    }
    return out;
  },
};
