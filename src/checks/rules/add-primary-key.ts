import type { CheckedStatement, Report, Rule } from "../types.js";
import { acknowledge, alterTableCommands, body, columnConstraints, fixFor, onExistingTable, provenNotNull, statementTable, type Json } from "../sql.js";

/** The key columns of `PRIMARY KEY USING INDEX ix`: from the op, or from a CREATE INDEX ix earlier in the upgrade. */
function usingIndexColumns(statements: readonly CheckedStatement[], s: CheckedStatement, index: string): string[] | undefined {
  if (s.op.kind === "createPrimaryKey") return [...s.op.columns];
  for (const p of statements.slice(0, s.index)) {
    const b = p.kind === "IndexStmt" ? body(p.ast, "IndexStmt") : undefined;
    if (b?.idxname !== index) continue;
    const names = (b.indexParams ?? []).map((e: Json) => e.IndexElem?.name);
    return names.every(Boolean) ? names : undefined;
  }
  return undefined;
}

/** Whether the upgrade, before `s`, makes `column` NOT NULL: SET NOT NULL, added NOT NULL, or a validated CHECK (column IS NOT NULL). */
function madeNotNull(statements: readonly CheckedStatement[], s: CheckedStatement, table: string, column: string): boolean {
  if (provenNotNull(statements, s, table, column)) return true;
  return statements.slice(0, s.index).some(
    (p) =>
      statementTable(p) === table &&
      alterTableCommands(p).some(
        (c) =>
          (c.subtype === "AT_SetNotNull" && c.name === column) ||
          (c.subtype === "AT_AddColumn" && c.def?.ColumnDef?.colname === column && columnConstraints(c.def.ColumnDef).some((k) => k.contype === "CONSTR_NOTNULL")),
      ),
  );
}

/**
 * Lock safety: ADD PRIMARY KEY builds a unique index (and checks NOT NULL) under
 * ACCESS EXCLUSIVE. USING INDEX skips the build, but still makes the columns
 * NOT NULL, scanning the table under that lock if any of them is nullable.
 */
export const addPrimaryKey: Rule = {
  id: "add-primary-key",
  category: "lock",
  severity: "warning",
  summary: "A primary key added to an existing table without an index built CONCURRENTLY first, or from one on columns not shown to be NOT NULL.",
  squawk: ["adding-primary-key-constraint"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const c of alterTableCommands(s)) {
        const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
        if (k?.contype === "CONSTR_PRIMARY" && k.indexname) {
          const columns = usingIndexColumns(m.upgrade, s, k.indexname);
          const unproven = columns?.filter((col) => !madeNotNull(m.upgrade, s, table, col));
          if (unproven && !unproven.length) continue;
          const which = unproven ? unproven.join(", ") : `the columns of ${k.indexname}`;
          out.push({
            statement: s,
            message: `PRIMARY KEY USING INDEX ${k.indexname} makes ${which} NOT NULL: if ${unproven?.length === 1 ? "it is" : "any is"} still nullable, PostgreSQL scans every row of ${table} for NULLs under the ACCESS EXCLUSIVE lock. Nothing earlier in this migration shows ${unproven?.length === 1 ? "it is" : "they are"} NOT NULL.`,
            fix: `Make ${which} NOT NULL first: ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (which then skips the scan), before the primary key in this migration. If ${unproven?.length === 1 ? "it is" : "they are"} NOT NULL already, acknowledge it with ${acknowledge(s, "add-primary-key")}.`,
          });
          continue;
        }
        const direct = k?.contype === "CONSTR_PRIMARY";
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
