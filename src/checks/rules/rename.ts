import type { Report, Rule } from "../types.js";
import { body, onExistingTable, relationName, tableKey } from "../sql.js";

/** Lock safety: a rename is instant, but every running copy of the application still uses the old name. */
export const rename: Rule = {
  id: "rename",
  category: "lock",
  severity: "warning",
  summary: "A table or column rename, which breaks the application code still running against the old name.",
  squawk: ["renaming-column", "renaming-table"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      if (s.kind !== "RenameStmt") continue;
      const b = body(s.ast, "RenameStmt");
      const table = tableKey(relationName(b.relation));
      if (b.renameType !== "OBJECT_TABLE" && b.renameType !== "OBJECT_COLUMN") continue;
      if (!onExistingTable(s, m.upgrade, table)) continue;
      const what = b.renameType === "OBJECT_TABLE" ? `table ${table}` : `column ${table}.${b.subname}`;
      out.push({
        statement: s,
        message: `Renaming ${what} to ${b.newname} breaks every query of the application that still uses the old name, from the moment it commits until the new code is deployed.`,
        fix:
          b.renameType === "OBJECT_TABLE"
            ? `Expand and contract: rename the table and create a view with the old name (CREATE VIEW ${table} AS SELECT * FROM ${b.newname}) until no code uses it, then drop the view.`
            : `Expand and contract: add the new column, write to both, backfill, move readers over, then drop the old column in a later migration.`,
      });
    }
    return out;
  },
};
