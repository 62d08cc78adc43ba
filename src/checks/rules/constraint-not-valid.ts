import type { Report, Rule } from "../types.js";
import { alterTableCommands, fixFor, onExistingTable, statementTable } from "../sql.js";

/** Lock safety: adding a FOREIGN KEY or CHECK validates every row under lock unless NOT VALID. */
export const constraintNotValid: Rule = {
  id: "constraint-not-valid",
  category: "lock",
  severity: "warning",
  summary: "A foreign key or check constraint added to an existing table without NOT VALID (then VALIDATE separately).",
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
        if (!k || (k.contype !== "CONSTR_FOREIGN" && k.contype !== "CONSTR_CHECK") || k.skip_validation) continue;
        const what = k.contype === "CONSTR_FOREIGN" ? "FOREIGN KEY" : "CHECK";
        const lock = k.contype === "CONSTR_FOREIGN" ? `SHARE ROW EXCLUSIVE on ${table} and ${k.pktable?.relname ?? "the referenced table"}` : `ACCESS EXCLUSIVE on ${table}`;
        out.push({
          statement: s,
          message: `${what}${k.conname ? ` ${k.conname}` : ""} is checked against every existing row of ${table} while holding ${lock}: writes wait for the whole scan.`,
          fix: fixFor(s, {
            op: `Pass notValid: true, then op.validateConstraint("${k.conname ?? "<name>"}", "${table}") in a later migration (VALIDATE takes a lock that lets writes through).`,
            sql: `Add it with NOT VALID, then ALTER TABLE ${table} VALIDATE CONSTRAINT ${k.conname ?? "<name>"} in a later migration (VALIDATE takes a lock that lets writes through).`,
          }),
        });
      }
    }
    return out;
  },
};
