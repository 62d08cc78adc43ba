import type { Report, Rule } from "../types.js";
import { alterTableCommands, body, fixFor } from "../sql.js";

/**
 * PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY (and REINDEX CONCURRENTLY,
 * DETACH PARTITION CONCURRENTLY) inside a transaction block. It always fails,
 * so unlike the other lock rules this one is an error by default.
 */
export const concurrentlyInTransaction: Rule = {
  id: "concurrently-in-transaction",
  category: "lock",
  severity: "error",
  summary: "CONCURRENTLY in a migration that runs inside a transaction (PostgreSQL refuses it).",
  squawk: ["ban-concurrent-index-creation-in-transaction"],
  check(m) {
    if (!m.migration.transactional) return [];
    const out: Report[] = [];
    for (const s of [...m.upgrade, ...m.downgrade]) {
      const b = body(s.ast, s.kind);
      const concurrent =
        ((s.kind === "IndexStmt" || s.kind === "DropStmt") && b.concurrent) ||
        (s.kind === "ReindexStmt" && (b.params ?? []).some((p: { DefElem?: { defname?: string } }) => p.DefElem?.defname === "concurrently")) ||
        alterTableCommands(s).some((c) => c.subtype === "AT_DetachPartition" && c.def?.PartitionCmd?.concurrent);
      if (!concurrent) continue;
      out.push({
        statement: s,
        message: `${s.direction}: a CONCURRENTLY statement in a transactional migration: PostgreSQL refuses it ("cannot run inside a transaction block").`,
        fix: fixFor(s, {
          op: "Set `transactional: false` on the migration (and keep only the concurrent statements in it).",
          sql: "Add `-- sluice:transactional false` to the header (and keep only the concurrent statements in this migration).",
        }),
      });
    }
    return out;
  },
};
