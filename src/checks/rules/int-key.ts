import type { Report, Rule } from "../types.js";
import { typedColumns } from "../sql.js";

const SMALL = new Map([["int4", "integer"], ["int2", "smallint"], ["serial", "serial"], ["serial4", "serial"], ["smallserial", "smallserial"], ["serial2", "smallserial"]]);

/** Type advice: a 32-bit key runs out at 2.1 billion, and widening it later rewrites the table and every referencing one. */
export const intKey: Rule = {
  id: "int-key",
  category: "types",
  severity: "warning",
  summary: "A primary key or identity column of type integer/smallint/serial; use bigint (identity).",
  squawk: ["prefer-big-int", "prefer-bigint-over-int", "prefer-bigint-over-smallint"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      for (const c of typedColumns(s)) {
        const small = SMALL.get(c.type.name);
        if (!small || (!c.key && !c.type.name.includes("serial"))) continue;
        out.push({
          statement: s,
          message: `${c.table}.${c.column} is ${/^[aeiou]/.test(small) ? "an" : "a"} ${small} key: it runs out at ${c.type.name.includes("2") || small.startsWith("small") ? "32,767" : "2,147,483,647"} rows, and widening it later rewrites the table and every table that references it.`,
          fix: c.generatedKey
            ? "Use bigint GENERATED ALWAYS AS IDENTITY (in an op: { type: \"bigint\", identity: \"always\" })."
            : `Use bigint, the type of the key ${c.column} refers to once that is bigint too (a referencing or composite key column is not an identity).`,
        });
      }
    }
    return out;
  },
};
