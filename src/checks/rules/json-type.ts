import type { Report, Rule } from "../types.js";
import { typedColumns } from "../sql.js";

/** Type advice: json has no equality operator, so DISTINCT, GROUP BY and UNION over the table's rows stop working. */
export const jsonType: Rule = {
  id: "json-type",
  category: "types",
  severity: "warning",
  summary: "A column of type json; use jsonb.",
  strongMigrations: ["add_column_json"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      for (const c of typedColumns(s)) {
        if (c.type.name !== "json") continue;
        out.push({
          statement: s,
          message: `${c.table}.${c.column} is json, which has no equality operator: a SELECT DISTINCT, UNION, GROUP BY or comparison over the table's rows fails with "could not identify an equality operator for type json", and it cannot be indexed.`,
          fix: "Use jsonb (it keeps the same documents, and can be indexed and compared).",
        });
      }
    }
    return out;
  },
};
