import type { Report, Rule } from "../types.js";
import { accessExclusiveExisting, isNewTable, statementTable } from "../sql.js";

/**
 * Lock safety: in one transaction, the locks the DDL took are held until
 * COMMIT, so a backfill after the DDL keeps the table blocked for as long as
 * the UPDATE runs. A backfill before the DDL is not reported: the ACCESS
 * EXCLUSIVE lock is taken only after it, and held just from there to COMMIT.
 */
export const backfillInDdlTransaction: Rule = {
  id: "backfill-in-ddl-transaction",
  category: "lock",
  severity: "warning",
  summary: "A backfill UPDATE of an existing table after DDL that locks a table, in the same transaction.",
  check(m) {
    if (!m.migration.transactional) return [];
    const locking = m.upgrade.find((s) => accessExclusiveExisting(s, m.upgrade).length);
    if (!locking) return [];
    const out: Report[] = [];
    for (const s of m.upgrade.slice(locking.index + 1)) {
      if (s.kind !== "UpdateStmt" || isNewTable(m.upgrade, statementTable(s), s.index)) continue;
      out.push({
        statement: s,
        message: `UPDATE ${statementTable(s)} runs after DDL in the same transaction (${accessExclusiveExisting(locking, m.upgrade)[0].label}${locking.line !== undefined && locking.line !== s.line ? ` at line ${locking.line}` : ""}): its ACCESS EXCLUSIVE lock is held until the backfill commits, however many rows it touches.`,
        fix: "Move the backfill into its own migration after this one (batched if the table is large), or before the DDL when it does not need it (a backfill before SET NOT NULL), or keep it here only if the table is small.",
      });
    }
    return out;
  },
};
