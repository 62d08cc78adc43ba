import type { Report, Rule } from "../types.js";
import { body, relationName, tableKey, type Json } from "../sql.js";

/** Data loss: TRUNCATE … CASCADE empties every table that references the named ones, which the statement does not name. */
export const truncateCascade: Rule = {
  id: "truncate-cascade",
  category: "checklist",
  severity: "error",
  summary: "TRUNCATE … CASCADE, which also empties every table with a foreign key to the truncated ones.",
  squawk: ["ban-truncate-cascade"],
  check(m) {
    const out: Report[] = [];
    for (const s of [...m.upgrade, ...m.downgrade]) {
      if (s.kind !== "TruncateStmt") continue;
      const b = body(s.ast, "TruncateStmt");
      if (b.behavior !== "DROP_CASCADE") continue;
      const tables = (b.relations ?? []).map((r: Json) => tableKey(relationName(r.RangeVar))).join(", ");
      out.push({
        statement: s,
        message: `${s.direction}: TRUNCATE ${tables} CASCADE also empties every table that references ${tables} by a foreign key, and the tables that reference those, none of them named here.`,
        fix: `Name every table to empty in the TRUNCATE (without CASCADE it fails if another table still references them, which is the check you want), or delete the rows you mean with DELETE … WHERE.`,
      });
    }
    return out;
  },
};
