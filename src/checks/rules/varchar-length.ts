import type { Report, Rule } from "../types.js";
import { typedColumns } from "../sql.js";

/** Type advice: a varchar(n) limit is changed by an ALTER that locks the table when it must shrink; text with a CHECK is easier to change. */
export const varcharLength: Rule = {
  id: "varchar-length",
  category: "types",
  severity: "warning",
  summary: "A column of type varchar(n) where text fits; a length limit is better a CHECK constraint.",
  squawk: ["prefer-text-field"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      for (const c of typedColumns(s)) {
        if (c.type.name !== "varchar" || !c.type.mods.length) continue;
        out.push({
          statement: s,
          message: `${c.table}.${c.column} is varchar(${c.type.mods[0]}): text stores the same way, and changing a varchar limit later needs an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock.`,
          fix: `Use text; if the limit is a business rule, add CHECK (char_length(${c.column}) <= ${c.type.mods[0]}) (added NOT VALID and validated, it changes without a rewrite). Turn this advice off in sluice.config.ts (checks.rules["varchar-length"] = "off") if you prefer varchar.`,
        });
      }
    }
    return out;
  },
};
