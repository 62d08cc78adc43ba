import type { Db } from "../db/types.js";
import type { CompiledMigration } from "../runner/runner.js";
import { prepareMigration } from "../checks/prepare.js";
import { rowLosses, type TableName } from "../checks/losses.js";
import { firstLineOf, isNewTable, tableKey } from "../checks/sql.js";
import { quoteIdent } from "../ops/quote.js";
import { SluiceError, ExitCode } from "../errors.js";
import { commentLine } from "../text.js";

/** Data a downgrade would destroy, found in the database before it runs. */
export interface DataLoss {
  revision: string;
  file: string;
  line: number | null;
  /** The statement's first line. */
  statement: string;
  /** `schema.table`, or `table` when the statement does not name the schema. */
  table: string;
  /** The dropped column, for DROP COLUMN. */
  column: string | null;
  /** `rows`: every row of the table goes; `values`: a column's values go; `some-rows`: a DELETE … WHERE, some may go. */
  loses: "rows" | "values" | "some-rows";
  /** One line for a human: what goes and that it holds data. */
  message: string;
}

interface Candidate {
  readonly c: CompiledMigration;
  readonly statement: { sql: string; line: number | undefined; kind: string };
  readonly table: TableName;
  readonly column?: string;
  readonly someRows: boolean;
}

const qualified = (t: TableName) => (t.schema ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}` : quoteIdent(t.name));

/**
 * What the downgrades in `compiled` would destroy that holds data now: tables
 * they drop, truncate or delete from that have rows, columns they drop that
 * hold a value. Reads the statements the checks read (ops and raw SQL alike),
 * then asks the database in two set-based queries: which of those tables and
 * columns exist, and whether each holds anything (EXISTS, never a count).
 */
export async function findDataLoss(db: Db, compiled: readonly CompiledMigration[]): Promise<DataLoss[]> {
  const candidates: Candidate[] = [];
  for (const c of compiled) {
    if (c.direction !== "downgrade") continue;
    const statements = (await prepareMigration(c.migration)).downgrade;
    for (const s of statements) {
      for (const loss of rowLosses(s)) {
        const { table } = loss.rows;
        // A table this downgrade made itself holds only what the downgrade put there.
        if (isNewTable(statements, tableKey(table.schema ? `${table.schema}.${table.name}` : table.name), s.index)) continue;
        candidates.push({ c, statement: { sql: s.sql, line: s.line, kind: s.kind }, table, column: loss.rows.column, someRows: !!loss.rows.someRows });
      }
    }
  }
  if (!candidates.length) return [];
  // Which targets exist now as tables (and have the column): an earlier step of the run may have dropped them.
  const present = await db.query<{ i: number }>(
    `SELECT u.i::int AS i
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(rel, col, i)
       JOIN pg_class r ON r.oid = to_regclass(u.rel) AND r.relkind IN ('r', 'p')
      WHERE u.col IS NULL OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attname = u.col AND a.attnum > 0 AND NOT a.attisdropped)`,
    [candidates.map((x) => qualified(x.table)), candidates.map((x) => x.column ?? null)],
  );
  const existing = present.rows.map((r) => candidates[Number(r.i) - 1]);
  if (!existing.length) return [];
  const probes = existing.map((x) => `EXISTS (SELECT 1 FROM ${qualified(x.table)}${x.column ? ` WHERE ${quoteIdent(x.column)} IS NOT NULL` : ""})`);
  const held = await db.query<Record<string, boolean>>(`SELECT ${probes.map((p, i) => `${p} AS p${i}`).join(", ")}`);
  const row = held.rows[0];
  return existing.filter((_x, i) => row[`p${i}`] === true).map(describeLoss);
}

const ROWS_VERB: Record<string, string> = { DropStmt: "drops", TruncateStmt: "truncates", DeleteStmt: "deletes every row of" };

function describeLoss(x: Candidate): DataLoss {
  const m = x.c.migration;
  const table = x.table.schema ? `${x.table.schema}.${x.table.name}` : x.table.name;
  const statement = firstLineOf(x.statement.sql);
  const where = `downgrade ${m.revision} (${m.file}${x.statement.line === undefined ? "" : `:${x.statement.line}`})`;
  const loses = x.column ? "values" : x.someRows ? "some-rows" : "rows";
  const message =
    loses === "values"
      ? `${where} drops column ${table}.${x.column}, which holds values (${statement})`
      : loses === "some-rows"
        ? `${where} deletes from ${table}, which holds rows; some may be deleted (${statement})`
        : `${where} ${ROWS_VERB[x.statement.kind] ?? "removes every row of"} table ${table}, which holds rows (${statement})`;
  return { revision: m.revision, file: m.file, line: x.statement.line ?? null, statement, table, column: x.column ?? null, loses, message };
}

/** The refusal of a data-losing downgrade the caller did not allow; nothing has run. */
export function dataLossRefusal(losses: readonly DataLoss[]): SluiceError {
  return new SluiceError("data-loss", `Refusing to downgrade: it would lose data, so nothing was rolled back.\n${losses.map((l) => `  ${l.message}`).join("\n")}`, {
    exitCode: ExitCode.usage,
    hint: "Keep a copy of what you need, then rerun with --yes (or --allow-data-loss; in the library, allowDataLoss: true) to roll back anyway. `sluice downgrade --sql` shows what would run.",
    details: { losses },
  });
}

/** The warnings as SQL comment lines for `downgrade --sql`; commentLine keeps any name inside its comment. */
export function dataLossComments(losses: readonly DataLoss[]): string {
  if (!losses.length) return "";
  const line = (text: string) => commentLine("--", text);
  return [line("WARNING: this downgrade loses data:"), ...losses.map((l) => line(`  ${l.message}`)), line("sluice downgrade refuses to run it without --yes."), "", ""].join("\n");
}
