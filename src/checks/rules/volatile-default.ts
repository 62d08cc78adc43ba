import type { CheckedStatement, Report, Rule } from "../types.js";
import { addedColumns, body, columnConstraints, fixFor, functionsCalled, onExistingTable, statementTable, type Json } from "../sql.js";

/**
 * PostgreSQL's VOLATILE functions that a default can call (pg_proc.provolatile = 'v'
 * in pg_catalog, PostgreSQL 15–18, plus the volatile generators of uuid-ossp and
 * pgcrypto). A default calling one is evaluated for every row: the table is rewritten.
 */
const VOLATILE = new Set([
  "random", "random_normal", "setseed", "gen_random_uuid", "uuidv4", "uuidv7",
  "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "gen_random_bytes", "gen_salt",
  "clock_timestamp", "timeofday", "nextval", "currval", "lastval", "setval",
  "set_config", "current_query", "txid_status", "pg_xact_status", "pg_sleep", "pg_notify",
  "pg_current_wal_lsn", "pg_is_in_recovery", "pg_relation_size", "pg_table_size", "pg_total_relation_size", "pg_database_size",
  "lo_create", "lo_creat", "lo_import", "lo_from_bytea", "pg_export_snapshot",
]);

/**
 * Built-in STABLE or IMMUTABLE functions that defaults commonly call. Since
 * PostgreSQL 11 such a default is evaluated once and stored in the catalog: no
 * rewrite (with now(), every existing row gets the migration's transaction time).
 * `current_timestamp`, `current_date`, `current_user` … are not function calls in
 * the parse tree and never reach this list.
 */
const NOT_VOLATILE = new Set([
  "now", "transaction_timestamp", "statement_timestamp", "current_setting", "current_database", "current_schema", "current_user",
  "txid_current", "pg_current_xact_id", "pg_backend_pid", "inet_client_addr", "timezone", "date_trunc", "date_part", "age",
  "to_timestamp", "to_date", "to_char", "to_number", "make_date", "make_time", "make_interval", "make_timestamp", "make_timestamptz",
  "lower", "upper", "btrim", "ltrim", "rtrim", "concat", "concat_ws", "length", "char_length", "substr", "substring", "replace",
  "left", "right", "lpad", "rpad", "repeat", "split_part", "format", "md5", "sha256", "encode", "decode", "digest",
  "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array", "to_jsonb", "to_json",
  "array_fill", "array_to_string", "string_to_array", "abs", "round", "floor", "ceil", "ceiling", "trunc", "power",
  "uuid_generate_v3", "uuid_generate_v5", "uuid_nil",
]);

/** Functions the upgrade creates before `index`, with their declared volatility (VOLATILE unless it says otherwise). */
function createdFunctions(statements: readonly CheckedStatement[], index: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of statements.slice(0, index)) {
    if (s.kind !== "CreateFunctionStmt") continue;
    const b = body(s.ast, "CreateFunctionStmt");
    const names = (b.funcname ?? []).map((n: Json) => n?.String?.sval).filter(Boolean);
    const declared = (b.options ?? []).find((o: Json) => o.DefElem?.defname === "volatility")?.DefElem?.arg?.String?.sval;
    if (names.length) out.set(String(names[names.length - 1]).toLowerCase(), declared ?? "volatile");
  }
  return out;
}

/** Lock safety: a volatile default rewrites the table under lock. */
export const volatileDefault: Rule = {
  id: "volatile-default",
  category: "lock",
  severity: "warning",
  summary: "A column added to an existing table with a volatile default, which rewrites the table.",
  squawk: ["adding-field-with-default"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      const table = statementTable(s);
      if (!onExistingTable(s, m.upgrade, table)) continue;
      for (const def of addedColumns(s)) {
        const constraints = columnConstraints(def);
        const dflt = constraints.find((k) => k.contype === "CONSTR_DEFAULT");
        const called = dflt ? functionsCalled(dflt.raw_expr) : [];
        const own = called.some((f) => !VOLATILE.has(f) && !NOT_VOLATILE.has(f)) ? createdFunctions(m.upgrade, s.index) : new Map<string, string>();
        const volatile = called.filter((f) => VOLATILE.has(f) || own.get(f) === "volatile");
        // A function Sluice does not know and the migration does not create: CREATE FUNCTION makes
        // functions VOLATILE unless told otherwise, so it may well rewrite; say so rather than guess.
        const unknown = called.filter((f) => !VOLATILE.has(f) && !NOT_VOLATILE.has(f) && !own.has(f));
        // Serial and identity columns are add-identity-column's, stored generated ones generated-column-stored's: one finding per hazard.
        const cause = volatile.length ? `its default calls ${volatile.join("(), ")}(), which is VOLATILE and evaluated once per row` : undefined;
        if (cause) {
          out.push({
            statement: s,
            message: `Adding ${table}.${def.colname} rewrites the whole table under an ACCESS EXCLUSIVE lock: ${cause}.`,
            fix: fixFor(s, {
              op: "Add the column with no default (or a constant one), backfill it in batches, then set the default with op.alterColumn(…, { serverDefault }) for new rows.",
              sql: "Add the column with no default (or a constant one), backfill it in batches, then ALTER COLUMN … SET DEFAULT for new rows.",
            }),
          });
        } else if (unknown.length) {
          out.push({
            statement: s,
            message: `Adding ${table}.${def.colname} may rewrite the whole table under an ACCESS EXCLUSIVE lock: its default calls ${unknown.join("(), ")}(), and Sluice cannot tell whether that is VOLATILE (a function is, unless created STABLE or IMMUTABLE). A volatile default is evaluated for every row.`,
            fix: `If ${unknown[0]}() is STABLE or IMMUTABLE, acknowledge this with that reason; otherwise add the column with no default, backfill it in batches, then set the default for new rows.`,
          });
        }
      }
    }
    return out;
  },
};
