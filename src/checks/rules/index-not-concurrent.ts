import type { Report, Rule } from "../types.js";
import { body, fixFor, nameList, onExistingTable, statementTable } from "../sql.js";

/** Lock safety: plain CREATE/DROP INDEX blocks writes (or everything) on a live table while it runs. */
export const indexNotConcurrent: Rule = {
  id: "index-not-concurrent",
  category: "lock",
  severity: "warning",
  summary: "An index created or dropped on an existing table without CONCURRENTLY.",
  squawk: ["require-concurrent-index-creation", "require-concurrent-index-deletion"],
  check(m) {
    const out: Report[] = [];
    const createdHere = new Set<string>();
    for (const s of m.upgrade) {
      const b = body(s.ast, s.kind);
      if (s.kind === "IndexStmt") {
        if (b.idxname) createdHere.add(b.idxname);
        if (b.concurrent || !onExistingTable(s, m.upgrade)) continue;
        out.push({
          statement: s,
          message: `CREATE INDEX${b.idxname ? ` ${b.idxname}` : ""} on ${statementTable(s)} without CONCURRENTLY blocks every write to the table (SHARE lock) until the index is built.`,
          fix: fixFor(s, {
            op: "Pass concurrently: true and set `transactional: false` on the migration (keep the index in a migration of its own).",
            sql: "Write CREATE INDEX CONCURRENTLY and mark the migration `-- sluice:transactional false` (keep the index in a migration of its own).",
          }),
        });
      } else if (s.kind === "DropStmt" && b.removeType === "OBJECT_INDEX" && !b.concurrent) {
        const names = (b.objects ?? []).map((o: { List?: { items: unknown[] } }) => nameList(o.List?.items as never));
        if (names.every((n: string) => createdHere.has(n))) continue;
        out.push({
          statement: s,
          message: `DROP INDEX ${names.join(", ")} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait.`,
          fix: fixFor(s, {
            op: "Pass concurrently: true and set `transactional: false` on the migration.",
            sql: "Write DROP INDEX CONCURRENTLY and mark the migration `-- sluice:transactional false`.",
          }),
        });
      }
    }
    return out;
  },
};
