import type { Report, Rule } from "../types.js";
import { body, fixFor, isNewTable, relationName, tableKey } from "../sql.js";

const OBJECT = { REINDEX_OBJECT_INDEX: "INDEX", REINDEX_OBJECT_TABLE: "TABLE", REINDEX_OBJECT_SCHEMA: "SCHEMA", REINDEX_OBJECT_SYSTEM: "SYSTEM", REINDEX_OBJECT_DATABASE: "DATABASE" } as const;

/** Lock safety: a plain REINDEX holds ACCESS EXCLUSIVE on each index (and blocks writes to its table) for the whole rebuild. */
export const reindexNotConcurrent: Rule = {
  id: "reindex-not-concurrent",
  category: "lock",
  severity: "warning",
  summary: "REINDEX without CONCURRENTLY, which blocks the table's writes (and reads through the index) for the whole rebuild.",
  squawk: ["require-concurrent-reindex"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      if (s.kind !== "ReindexStmt") continue;
      const b = body(s.ast, "ReindexStmt");
      if ((b.params ?? []).some((p: { DefElem?: { defname?: string } }) => p.DefElem?.defname === "concurrently")) continue;
      const what = OBJECT[b.kind as keyof typeof OBJECT] ?? "INDEX";
      const name = b.relation ? tableKey(relationName(b.relation)) : String(b.name ?? "");
      if (what === "TABLE" && isNewTable(m.upgrade, name, s.index)) continue;
      out.push({
        statement: s,
        message: `REINDEX ${what}${name ? ` ${name}` : ""} without CONCURRENTLY locks out writes to the table (and every query that would use the index) until every index is rebuilt.`,
        fix: fixFor(s, {
          op: `Write op.execute("REINDEX ${what} CONCURRENTLY ${name || "…"}") and set \`transactional: false\` on the migration (keep it in a migration of its own).`,
          sql: `Write REINDEX ${what} CONCURRENTLY ${name || "…"} and mark the migration \`-- sluice:transactional false\` (keep it in a migration of its own).`,
        }),
      });
    }
    return out;
  },
};

