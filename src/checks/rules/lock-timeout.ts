import type { Report, Rule } from "../types.js";
import { accessExclusiveTables, fixFor, isNewTable, setsLockTimeout } from "../sql.js";

/**
 * Lock safety: a statement waiting for ACCESS EXCLUSIVE blocks every query that
 * arrives after it. `lock_timeout` bounds that wait, so the migration fails fast
 * and can be retried instead of stalling the application.
 */
export const lockTimeout: Rule = {
  id: "lock-timeout",
  category: "lock",
  severity: "warning",
  summary: "A statement takes an ACCESS EXCLUSIVE lock on an existing table with no lock_timeout set earlier in the migration.",
  check(m) {
    let first: Report | undefined;
    let count = 0;
    for (const s of m.upgrade) {
      if (setsLockTimeout(s)) break;
      const tables = accessExclusiveTables(s).filter((t) => !isNewTable(m.upgrade, t, s.index));
      if (!tables.length) continue;
      count++;
      first ??= {
        statement: s,
        message: `This statement takes an ACCESS EXCLUSIVE lock on ${tables.join(", ")} with no lock_timeout set: while it waits for a long-running query, every other query on the table queues behind it.`,
        fix: fixFor(s, {
          op: "Start upgrade() with op.execute(\"SET lock_timeout = '5s'\") (SET LOCAL in a transactional migration scopes it to the migration), and retry on timeout.",
          sql: "Start the upgrade section with SET lock_timeout = '5s'; (the migration's transaction scopes SET LOCAL to it) and retry on timeout.",
        }),
      };
    }
    if (!first) return [];
    return [count > 1 ? { ...first, message: `${first.message} (${count - 1} more such statement${count > 2 ? "s" : ""} follow.)` } : first];
  },
};
