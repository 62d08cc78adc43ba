import type { CheckedStatement, Report, Rule } from "../types.js";
import { accessExclusiveExisting, fixFor, setsLocalLockTimeout, setsLockTimeout } from "../sql.js";

/**
 * Lock safety: a statement waiting for ACCESS EXCLUSIVE blocks every query that
 * arrives after it. `lock_timeout` bounds that wait, so the migration fails fast
 * and can be retried instead of stalling the application. Sluice sets one for
 * every migration unless the config's `lockTimeout` is 0: only then does a
 * migration need its own.
 */
export const lockTimeout: Rule = {
  id: "lock-timeout",
  category: "lock",
  severity: "warning",
  summary: "With the config's lockTimeout at 0, a statement takes an ACCESS EXCLUSIVE lock on an existing table with no lock_timeout set earlier in the migration.",
  appliesUnder: (settings) => settings.lockTimeoutMs === 0,
  squawk: ["require-timeout-settings", "require-lock-timeout"],
  check(m) {
    const transactional = m.migration.transactional;
    let first: Report | undefined;
    let count = 0;
    // SET LOCAL outside a transaction only draws a WARNING from PostgreSQL and sets nothing.
    let ignoredLocal: CheckedStatement | undefined;
    for (const s of m.upgrade) {
      if (setsLockTimeout(s, transactional)) break;
      if (!transactional && setsLocalLockTimeout(s)) ignoredLocal ??= s;
      const tables = accessExclusiveExisting(s, m.upgrade);
      if (!tables.length) continue;
      count++;
      first ??= {
        statement: s,
        message: `This statement takes an ACCESS EXCLUSIVE lock on ${tables.map((t) => t.label).join(", ")} with no lock_timeout set${
          ignoredLocal ? ` (the SET LOCAL${ignoredLocal.line !== undefined ? ` at line ${ignoredLocal.line}` : ""} has no effect: this migration runs outside a transaction)` : ""
        }: while it waits for a long-running query, every other query on the table queues behind it.`,
        fix: transactional
          ? fixFor(s, {
              op: "Start upgrade() with op.execute(\"SET LOCAL lock_timeout = '5s'\") (SET LOCAL scopes it to the migration's transaction), and retry on timeout.",
              sql: "Start the upgrade section with SET LOCAL lock_timeout = '5s'; (scoped to the migration's transaction) and retry on timeout.",
            })
          : fixFor(s, {
              op: "This migration is not transactional, so use op.execute(\"SET lock_timeout = '5s'\") (not SET LOCAL) before it, and RESET lock_timeout at the end; retry on timeout.",
              sql: "This migration is not transactional, so write SET lock_timeout = '5s'; (not SET LOCAL) before it, and RESET lock_timeout; at the end; retry on timeout.",
            }),
      };
    }
    if (!first) return [];
    return [count > 1 ? { ...first, message: `${first.message} (${count - 1} more such statement${count > 2 ? "s" : ""} follow.)` } : first];
  },
};
