import type { Report, Rule } from "../types.js";
import { addedColumns, columnConstraints, onExistingTable, statementTable } from "../sql.js";

/** Lock safety: a stored generated column is computed and written for every row when it is added. */
export const generatedColumnStored: Rule = {
  id: "generated-column-stored",
  category: "lock",
  severity: "warning",
  summary: "A stored generated column added to an existing table, which rewrites the table under an exclusive lock.",
  strongMigrations: ["add_column_generated_stored"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      for (const def of addedColumns(s)) {
        // PostgreSQL 18's virtual generated columns (generated_kind 'v') are computed when read: no rewrite.
        if (!columnConstraints(def).some((k) => k.contype === "CONSTR_GENERATED" && k.generated_kind !== "v")) continue;
        if (!onExistingTable(s, m.upgrade, table)) continue;
        out.push({
          statement: s,
          message: `Adding stored generated column ${table}.${def.colname} computes it for every existing row: PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock, so every read and write waits.`,
          fix: "Add a plain column, fill it for new rows with a trigger, backfill existing rows in batches; or compute the value in a view or in the query (on PostgreSQL 18, a VIRTUAL generated column).",
        });
      }
    }
    return out;
  },
};
