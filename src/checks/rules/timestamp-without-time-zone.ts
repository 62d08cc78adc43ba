import type { Report, Rule } from "../types.js";
import { typedColumns } from "../sql.js";

/** Type advice: timestamp without time zone stores wall-clock time with no zone, which misleads across servers and DST. */
export const timestampWithoutTimeZone: Rule = {
  id: "timestamp-without-time-zone",
  category: "types",
  severity: "warning",
  summary: "A column of type timestamp (without time zone); use timestamptz.",
  squawk: ["prefer-timestamptz"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      for (const c of typedColumns(s)) {
        if (c.type.name !== "timestamp") continue;
        out.push({
          statement: s,
          message: `${c.table}.${c.column} is timestamp without time zone: it stores a wall-clock reading with no zone, so the same instant reads differently depending on the session's time zone.`,
          fix: "Use timestamptz (timestamp with time zone): it stores an instant and converts on display.",
        });
      }
    }
    return out;
  },
};
