import type { Report, Rule } from "../types.js";
import { SERIAL_TYPES, typedColumns } from "../sql.js";

/** Type advice: serial is a legacy shorthand whose sequence is a separate object with its own permissions. */
export const serialColumn: Rule = {
  id: "serial-column",
  category: "types",
  severity: "warning",
  summary: "A serial/bigserial column; use an identity column.",
  squawk: ["prefer-identity"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      for (const c of typedColumns(s)) {
        if (!SERIAL_TYPES.has(c.type.name)) continue;
        out.push({
          statement: s,
          message: `${c.table}.${c.column} is ${c.type.name}: its sequence is a separate object (own grants, own ownership) and values can be written past it by hand.`,
          fix: "Use bigint GENERATED ALWAYS AS IDENTITY (in an op: { type: \"bigint\", identity: \"always\" }).",
        });
      }
    }
    return out;
  },
};
