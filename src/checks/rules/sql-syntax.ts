import type { Rule } from "../types.js";

/** SQL that PostgreSQL's parser rejects is reported with its line, not thrown. */
export const sqlSyntax: Rule = {
  id: "sql-syntax",
  category: "correctness",
  severity: "error",
  summary: "SQL that PostgreSQL's parser rejects.",
  squawk: ["syntax-error"],
  check(m) {
    return m.syntaxErrors.map((e) => ({
      line: e.line,
      column: e.column,
      message: `${e.direction}: the SQL does not parse: ${e.message}.`,
      fix: "Fix the SQL at this line. The other statements of the block were checked without it; until it parses, the migration cannot run.",
    }));
  },
};
