import type { Report, Rule } from "../types.js";
import { alterTableCommands, columnConstraints, fixFor, onExistingTable, statementTable } from "../sql.js";

/** Lock safety: ADD PRIMARY KEY builds a unique index (and checks NOT NULL) under ACCESS EXCLUSIVE. */
export const addPrimaryKey: Rule = {
  id: "add-primary-key",
  category: "lock",
  severity: "warning",
  summary: "A primary key added to an existing table without an index built CONCURRENTLY first.",
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
        const direct = k?.contype === "CONSTR_PRIMARY" && !k.indexname;
        const onColumn = c.subtype === "AT_AddColumn" && columnConstraints(c.def?.ColumnDef).some((x) => x.contype === "CONSTR_PRIMARY");
        if (!direct && !onColumn) continue;
        out.push({
          statement: s,
          message: `Adding a primary key to ${table} builds its unique index and checks every row for NULL under an ACCESS EXCLUSIVE lock: reads and writes wait.`,
          fix: fixFor(s, {
            op: `Build a unique index with op.createIndex("${table}_pkey", "${table}", [...], { unique: true, concurrently: true }) in a non-transactional migration, then op.createPrimaryKey("${table}_pkey", "${table}", [...], { usingIndex: "${table}_pkey" }).`,
            sql: `CREATE UNIQUE INDEX CONCURRENTLY ${table}_pkey ON ${table} (…) in a non-transactional migration, then ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY USING INDEX ${table}_pkey.`,
          }),
        });
      }
    }
    return out;
  },
};
