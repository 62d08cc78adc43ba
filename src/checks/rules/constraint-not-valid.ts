import type { Report, Rule } from "../types.js";
import { alterTableCommands, columnConstraints, fixFor, onExistingTable, statementTable } from "../sql.js";

/**
 * Lock safety: adding a FOREIGN KEY or CHECK validates every row under lock
 * unless NOT VALID. A constraint written on an added column cannot be NOT
 * VALID at all, so it is validated in the same statement, under the
 * ACCESS EXCLUSIVE lock of ADD COLUMN.
 */
export const constraintNotValid: Rule = {
  id: "constraint-not-valid",
  category: "lock",
  severity: "warning",
  summary: "A foreign key or check constraint added to an existing table without NOT VALID (then VALIDATE separately), also on an added column.",
  squawk: ["constraint-missing-not-valid", "adding-foreign-key-constraint"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        if (c.subtype === "AT_AddColumn") {
          const def = c.def?.ColumnDef;
          for (const k of columnConstraints(def)) {
            if (k.contype !== "CONSTR_FOREIGN" && k.contype !== "CONSTR_CHECK") continue;
            const foreign = k.contype === "CONSTR_FOREIGN";
            const what = foreign ? `REFERENCES ${k.pktable?.relname ?? "its parent"}` : "CHECK";
            const name = `${table}_${def.colname}_${foreign ? "fkey" : "check"}`;
            out.push({
              statement: s,
              message: `ADD COLUMN ${def.colname} … ${what} checks the constraint against every existing row of ${table} in the same statement, under ADD COLUMN's ACCESS EXCLUSIVE lock${foreign ? ` (and SHARE ROW EXCLUSIVE on ${k.pktable?.relname ?? "the referenced table"})` : ""}; a constraint written on the column cannot be NOT VALID.`,
              fix: fixFor(s, {
                op: `Add the column without ${foreign ? "references" : "the check"}, then ${foreign ? `op.createForeignKey("${name}", "${table}", ["${def.colname}"], …, { notValid: true })` : `op.createCheckConstraint("${name}", "${table}", "…", { notValid: true })`}, and op.validateConstraint("${name}", "${table}") in a later migration.`,
                sql: `Add the column without ${what}, then ALTER TABLE ${table} ADD CONSTRAINT ${name} ${foreign ? `FOREIGN KEY (${def.colname}) REFERENCES …` : "CHECK (…)"} NOT VALID, and VALIDATE CONSTRAINT ${name} in a later migration.`,
              }),
            });
          }
          continue;
        }
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
