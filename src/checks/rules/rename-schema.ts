import type { Report, Rule } from "../types.js";
import { body } from "../sql.js";

/** Lock safety: renaming a schema breaks every query of the running application that names it. */
export const renameSchema: Rule = {
  id: "rename-schema",
  category: "lock",
  severity: "warning",
  summary: "A schema rename, which breaks every query still naming the old schema.",
  strongMigrations: ["rename_schema"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      if (s.kind !== "RenameStmt") continue;
      const b = body(s.ast, "RenameStmt");
      if (b.renameType !== "OBJECT_SCHEMA") continue;
      out.push({
        statement: s,
        message: `Renaming schema ${b.subname} to ${b.newname} breaks every query, function and search_path that still names ${b.subname}, from the moment it commits until the new code is deployed.`,
        fix: `Create the new schema, move objects over (ALTER TABLE … SET SCHEMA ${b.newname}) behind views or synonyms in ${b.subname}, switch the application, then drop the old schema in a later migration.`,
      });
    }
    return out;
  },
};
