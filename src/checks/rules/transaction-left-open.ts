import type { Report, Rule } from "../types.js";
import { body } from "../sql.js";

const OPEN = new Set(["TRANS_STMT_BEGIN", "TRANS_STMT_START"]);
const CLOSE = new Set(["TRANS_STMT_COMMIT", "TRANS_STMT_ROLLBACK", "TRANS_STMT_PREPARE", "TRANS_STMT_COMMIT_PREPARED", "TRANS_STMT_ROLLBACK_PREPARED"]);

/**
 * Correctness: a BEGIN with no COMMIT after it leaves the migration's work in
 * an open transaction, which the session's end rolls back after the runner
 * has reported success.
 */
export const transactionLeftOpen: Rule = {
  id: "transaction-left-open",
  category: "correctness",
  severity: "error",
  summary: "A BEGIN (or START TRANSACTION) with no COMMIT or ROLLBACK after it in the same direction.",
  squawk: ["ban-uncommitted-transaction"],
  check(m) {
    const out: Report[] = [];
    for (const statements of [m.upgrade, m.downgrade]) {
      let open: (typeof statements)[number] | undefined;
      for (const s of statements) {
        if (s.kind !== "TransactionStmt") continue;
        const kind = body(s.ast, "TransactionStmt").kind;
        if (OPEN.has(kind)) open ??= s;
        else if (CLOSE.has(kind)) open = undefined;
      }
      if (!open) continue;
      out.push({
        statement: open,
        message: `${open.direction}: this BEGIN is never committed: everything after it stays in an open transaction that is rolled back when the session ends, though the migration looked applied.`,
        fix: "Remove the BEGIN (Sluice runs each transactional migration in a transaction of its own), or end it with COMMIT.",
      });
    }
    return out;
  },
};
