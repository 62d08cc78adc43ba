import type { Report, Rule } from "../types.js";
import { body } from "../sql.js";

/** Data loss: a migration that drops a whole database, in either direction. */
export const dropDatabase: Rule = {
  id: "drop-database",
  category: "checklist",
  severity: "error",
  summary: "DROP DATABASE in a migration, which deletes every table of that database.",
  squawk: ["ban-drop-database"],
  check(m) {
    const out: Report[] = [];
    for (const s of [...m.upgrade, ...m.downgrade]) {
      if (s.kind !== "DropdbStmt") continue;
      const name = body(s.ast, "DropdbStmt").dbname;
      out.push({
        statement: s,
        message: `${s.direction}: DROP DATABASE ${name} deletes every table and row of that database; no migration can bring it back.`,
        fix: "Remove it from the migration. Dropping a database is an operator's decision, made once, by hand, after a backup; not a step that runs wherever the chain is applied.",
      });
    }
    return out;
  },
};
