import type { Report, Rule } from "../types.js";
import { typedColumns } from "../sql.js";

/** Type advice: char(n) pads with spaces and is no faster than text. */
export const charType: Rule = {
  id: "char-type",
  category: "types",
  severity: "warning",
  summary: "A column of type char(n), which pads values with spaces; use text (with a CHECK on length if needed).",
  squawk: ["ban-char-field"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      for (const c of typedColumns(s)) {
        if (c.type.name !== "bpchar") continue;
        out.push({
          statement: s,
          message: `${c.table}.${c.column} is char(${c.type.mods[0] ?? 1}): values are padded with spaces to the length, comparisons and lengths surprise, and it is no faster than text.`,
          fix: `Use text (or varchar), with CHECK (char_length(${c.column}) = ${c.type.mods[0] ?? 1}) if the length matters.`,
        });
      }
    }
    return out;
  },
};
