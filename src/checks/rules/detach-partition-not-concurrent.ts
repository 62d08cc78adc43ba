import type { Report, Rule } from "../types.js";
import { alterTableCommands, fixFor, onExistingTable, relationName, statementTable, tableKey } from "../sql.js";

/** Lock safety: a plain DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table. */
export const detachPartitionNotConcurrent: Rule = {
  id: "detach-partition-not-concurrent",
  category: "lock",
  severity: "warning",
  summary: "DETACH PARTITION without CONCURRENTLY, which blocks every read and write of the partitioned table.",
  squawk: ["require-concurrent-partition-detach"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      for (const c of alterTableCommands(s)) {
        const p = c.subtype === "AT_DetachPartition" ? c.def?.PartitionCmd : undefined;
        if (!p || p.concurrent || !onExistingTable(s, m.upgrade, table)) continue;
        const part = tableKey(relationName(p.name));
        out.push({
          statement: s,
          message: `DETACH PARTITION ${part} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${table}: every read and write of the whole partitioned table waits.`,
          fix: fixFor(s, {
            op: `Write op.execute("ALTER TABLE ${table} DETACH PARTITION ${part} CONCURRENTLY") in a migration of its own with \`transactional: false\`.`,
            sql: `Write ALTER TABLE ${table} DETACH PARTITION ${part} CONCURRENTLY in a migration of its own marked \`-- sluice:transactional false\`.`,
          }),
        });
      }
    }
    return out;
  },
};
