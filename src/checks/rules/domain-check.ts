import type { Report, Rule } from "../types.js";
import { body, nameList, type Json } from "../sql.js";

/**
 * Lock safety: a domain's CHECK is checked against every column of that type
 * in every table when it is added, and changing it later means that again;
 * a CHECK on the table column can be added NOT VALID and validated online.
 */
export const domainCheck: Rule = {
  id: "domain-check",
  category: "lock",
  severity: "warning",
  summary: "A CHECK constraint on a domain (CREATE DOMAIN … CHECK, ALTER DOMAIN … ADD CONSTRAINT), which every table using the domain pays for.",
  squawk: ["ban-alter-domain-with-add-constraint", "ban-create-domain-with-constraint"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      if (s.kind === "AlterDomainStmt") {
        const b = body(s.ast, "AlterDomainStmt");
        const k = b.subtype === "C" ? b.def?.Constraint : undefined;
        if (!k || k.skip_validation) continue;
        const name = nameList(b.typeName);
        out.push({
          statement: s,
          message: `ALTER DOMAIN ${name} ADD CONSTRAINT checks every row of every table with a ${name} column, each under a lock that blocks its writes, in one statement.`,
          fix: `Add it NOT VALID (ALTER DOMAIN ${name} ADD CONSTRAINT … NOT VALID) and VALIDATE CONSTRAINT in a later migration, or put the CHECK on the table columns instead, where it can be added NOT VALID per table.`,
        });
      } else if (s.kind === "CreateDomainStmt") {
        const b = body(s.ast, "CreateDomainStmt");
        if (!(b.constraints ?? []).some((c: Json) => c.Constraint?.contype === "CONSTR_CHECK")) continue;
        const name = nameList(b.domainname);
        out.push({
          statement: s,
          message: `Domain ${name} has a CHECK: once tables use it, changing the rule means ALTER DOMAIN, which re-checks every column of the type in every table at once.`,
          fix: `Create the domain without the CHECK and put CHECK constraints on the table columns (ALTER TABLE … ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT), which can be changed one table at a time.`,
        });
      }
    }
    return out;
  },
};
