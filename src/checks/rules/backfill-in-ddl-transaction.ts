import type { Report, Rule } from "../types.js";
import { accessExclusiveTables, isNewTable, statementTable } from "../sql.js";

/**
 * Lock safety: in one transaction, the locks the DDL took are held until
 * COMMIT, so a backfill over a large table keeps the table blocked for as long
 * as the UPDATE runs.
 */
export const backfillInDdlTransaction: Rule = {
  id: "backfill-in-ddl-transaction",
  category: "lock",
  severity: "warning",
  summary: "A backfill UPDATE of an existing table in the same transaction as DDL that locks a table.",
  check(m) {
    if (!m.migration.transactional) return [];
    const locking = m.upgrade.find((s) => accessExclusiveTables(s).some((t) => !isNewTable(m.upgrade, t, s.index)));
    if (!locking) return [];
    const out: Report[] = [];
    for (const s of m.upgrade) {
      if (s.kind !== "UpdateStmt" || isNewTable(m.upgrade, statementTable(s), s.index)) continue;
      out.push({
        statement: s,
        message: `UPDATE ${statementTable(s)} runs in the same transaction as DDL (${accessExclusiveTables(locking)[0]}${locking.line !== undefined && locking.line !== s.line ? ` at line ${locking.line}` : ""}): its ACCESS EXCLUSIVE lock is held until the backfill commits, however many rows it touches.`,
        fix: "Move the backfill into its own migration after this one (batched if the table is large), or keep it here only if the table is small.",
      });
    }
    return out;
  },
};
