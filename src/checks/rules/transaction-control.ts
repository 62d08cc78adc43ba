import type { Report, Rule } from "../types.js";
import { body } from "../sql.js";

/**
 * Sluice runs each migration in its own transaction and records it in the same
 * one; BEGIN/COMMIT/ROLLBACK inside the migration break that promise.
 */
export const transactionControl: Rule = {
  id: "transaction-control",
  category: "correctness",
  severity: "error",
  summary: "BEGIN, COMMIT, ROLLBACK or SAVEPOINT written in a migration.",
  squawk: ["transaction-nesting"],
  check(m) {
    const out: Report[] = [];
    for (const s of [...m.upgrade, ...m.downgrade]) {
      if (s.kind !== "TransactionStmt") continue;
      const kind = String(body(s.ast, "TransactionStmt").kind ?? "").replace("TRANS_STMT_", "");
      out.push({
        statement: s,
        message: `${s.direction}: ${kind} controls the transaction Sluice runs the migration in: a COMMIT here makes part of the migration permanent before it is recorded, a ROLLBACK undoes it silently.`,
        fix: "Remove it. Sluice wraps each migration in one transaction; for statements that cannot run in one, mark the migration non-transactional instead.",
      });
    }
    return out;
  },
};
