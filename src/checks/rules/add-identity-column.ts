import type { Report, Rule } from "../types.js";
import { addedColumns, columnConstraints, columnType, onExistingTable, SERIAL_TYPES, statementTable } from "../sql.js";

/**
 * Lock safety: a serial or identity column added to a table with rows gets a
 * value per row from its sequence, so PostgreSQL rewrites the whole table
 * under ACCESS EXCLUSIVE (and builds the primary key's index under it too).
 */
export const addIdentityColumn: Rule = {
  id: "add-identity-column",
  category: "lock",
  severity: "warning",
  summary: "A serial or identity column (often a new primary key) added to an existing table, which rewrites the table under an exclusive lock.",
  squawk: ["adding-serial-primary-key-field"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      for (const def of addedColumns(s)) {
        const constraints = columnConstraints(def);
        const serial = SERIAL_TYPES.has(columnType(def.typeName).name);
        if (!serial && !constraints.some((k) => k.contype === "CONSTR_IDENTITY")) continue;
        if (!onExistingTable(s, m.upgrade, table)) continue;
        const pk = constraints.some((k) => k.contype === "CONSTR_PRIMARY");
        out.push({
          statement: s,
          message: `Adding ${serial ? "serial" : "identity"} column ${table}.${def.colname}${pk ? " as the primary key" : ""} fills it from a sequence for every existing row: PostgreSQL rewrites the whole table${pk ? " and builds the key's index" : ""} under an ACCESS EXCLUSIVE lock, so every read and write waits.`,
          fix: `Add a plain bigint column, attach the sequence as its default for new rows, backfill the existing rows in batches, then ${pk ? "build a unique index CONCURRENTLY and ADD PRIMARY KEY USING INDEX" : "make it NOT NULL through a validated CHECK"}.`,
        });
      }
    }
    return out;
  },
};
