import type { Report, Rule } from "../types.js";
import { alterTableCommands, onExistingTable, provenNotNull, statementTable } from "../sql.js";

/** Lock safety: SET NOT NULL scans the table under ACCESS EXCLUSIVE unless a validated CHECK already proves it. */
export const setNotNullWithoutCheck: Rule = {
  id: "set-not-null-without-check",
  category: "lock",
  severity: "warning",
  summary: "SET NOT NULL on an existing table without a validated CHECK (column IS NOT NULL) first.",
  squawk: ["adding-not-nullable-field"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        if (c.subtype !== "AT_SetNotNull" || provenNotNull(m.upgrade, s, table, c.name)) continue;
        out.push({
          statement: s,
          message: `SET NOT NULL on ${table}.${c.name} scans every row under an ACCESS EXCLUSIVE lock: reads and writes wait for the scan.`,
          fix: `First ADD CONSTRAINT ${c.name}_not_null CHECK (${c.name} IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT ${c.name}_not_null (writes go on meanwhile); SET NOT NULL then uses the constraint and skips the scan. Drop the CHECK afterwards.`,
        });
      }
    }
    return out;
  },
};
