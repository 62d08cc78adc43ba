import type { Report, Rule } from "../types.js";
import { alterTableCommands, columnConstraints, columnType, fixFor, functionsCalled, onExistingTable, statementTable } from "../sql.js";

/**
 * Functions PostgreSQL evaluates once per statement or that are immutable: a
 * default calling only these is stored in the catalog and the table is not rewritten.
 */
const NOT_VOLATILE = new Set([
  "now", "transaction_timestamp", "statement_timestamp", "current_setting", "current_database", "current_schema", "current_user",
  "to_timestamp", "to_date", "make_date", "make_interval", "make_timestamptz", "lower", "upper", "btrim", "concat", "length",
  "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array", "array_fill", "coalesce", "abs", "round",
]);
const SERIAL = new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);

/** Lock safety: a volatile default (or identity, serial, stored generated column) rewrites the table under lock. */
export const volatileDefault: Rule = {
  id: "volatile-default",
  category: "lock",
  severity: "warning",
  summary: "A column added to an existing table with a volatile default (or identity, serial or stored generated), which rewrites the table.",
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        const def = c.subtype === "AT_AddColumn" ? c.def?.ColumnDef : undefined;
        if (!def) continue;
        const constraints = columnConstraints(def);
        const dflt = constraints.find((k) => k.contype === "CONSTR_DEFAULT");
        const volatile = dflt ? functionsCalled(dflt.raw_expr).filter((f) => !NOT_VOLATILE.has(f)) : [];
        const cause = volatile.length
          ? `its default calls ${volatile.join(", ")}(), evaluated once per row`
          : SERIAL.has(columnType(def.typeName).name)
            ? `${columnType(def.typeName).name} fills every row from a sequence`
            : constraints.some((k) => k.contype === "CONSTR_IDENTITY")
              ? "an identity column fills every row from a sequence"
              : constraints.some((k) => k.contype === "CONSTR_GENERATED")
                ? "a stored generated column is computed for every row"
                : undefined;
        if (!cause) continue;
        out.push({
          statement: s,
          message: `Adding ${table}.${def.colname} rewrites the whole table under an ACCESS EXCLUSIVE lock: ${cause}.`,
          fix: fixFor(s, {
            op: "Add the column with no default (or a constant one), backfill it in batches, then set the default with op.alterColumn(…, { serverDefault }) for new rows.",
            sql: "Add the column with no default (or a constant one), backfill it in batches, then ALTER COLUMN … SET DEFAULT for new rows.",
          }),
        });
      }
    }
    return out;
  },
};
