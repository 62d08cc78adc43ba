import type { Report, Rule } from "../types.js";
import { body, statementTable } from "../sql.js";

const MAX_COLUMNS = 3;

/** Index advice: a non-unique index over more than three columns is rarely used past its first ones, and costs every write. */
export const indexTooManyColumns: Rule = {
  id: "index-too-many-columns",
  category: "types",
  severity: "warning",
  summary: "A non-unique index over more than three columns.",
  strongMigrations: ["add_index_columns"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      if (s.kind !== "IndexStmt") continue;
      const b = body(s.ast, "IndexStmt");
      const n = (b.indexParams ?? []).length;
      if (b.unique || b.primary || n <= MAX_COLUMNS) continue;
      out.push({
        statement: s,
        message: `Index${b.idxname ? ` ${b.idxname}` : ""} on ${statementTable(s)} has ${n} columns: a non-unique index is rarely used past its first ${MAX_COLUMNS}, while every insert and update pays to maintain all ${n}.`,
        fix: `Index the ${MAX_COLUMNS} most selective columns (move the others to INCLUDE (…) if queries read them from the index).`,
      });
    }
    return out;
  },
};
