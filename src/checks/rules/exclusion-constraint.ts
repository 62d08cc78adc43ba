import type { Report, Rule } from "../types.js";
import { alterTableCommands, onExistingTable, statementTable } from "../sql.js";

/** Lock safety: an EXCLUDE constraint cannot be added NOT VALID, so adding one checks every row under ACCESS EXCLUSIVE. */
export const exclusionConstraint: Rule = {
  id: "exclusion-constraint",
  category: "lock",
  severity: "warning",
  summary: "An exclusion constraint added to an existing table, which checks every row under an exclusive lock.",
  strongMigrations: ["add_exclusion_constraint"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      for (const c of alterTableCommands(s)) {
        const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
        if (k?.contype !== "CONSTR_EXCLUSION" || !onExistingTable(s, m.upgrade, table)) continue;
        out.push({
          statement: s,
          message: `Adding exclusion constraint${k.conname ? ` ${k.conname}` : ""} to ${table} builds its index and checks every row under an ACCESS EXCLUSIVE lock: every read and write waits. PostgreSQL has no NOT VALID or USING INDEX form for EXCLUDE.`,
          fix: "Add it while the table is small or in a maintenance window (acknowledge it with a reason), or enforce the rule in the application or a trigger until then.",
        });
      }
    }
    return out;
  },
};
