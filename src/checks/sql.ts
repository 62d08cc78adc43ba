import type { Node } from "libpg-query";
import type { CheckedStatement, Json } from "./types.js";

/**
 * Small readers of PostgreSQL parse trees (libpg_query's JSON), shared by the
 * rules. Nodes are `{ TypeName: {...} }` wrappers around plain objects.
 */

export type { Json } from "./types.js";

/** The body of a statement node: `{ AlterTableStmt: body }` → body. */
export function body(ast: Node, kind: string): Json {
  return (ast as Json)[kind];
}

/** `schema.table`, or `table` for the default schema (`public.` dropped so both spellings match). */
export function relationName(rv: Json): string {
  if (!rv) return "";
  const schema = rv.schemaname && rv.schemaname !== "public" ? `${rv.schemaname}.` : "";
  return `${schema}${rv.relname}`;
}

/** A qualified name from a list of String nodes: `[{String:{sval:"s"}},{String:{sval:"x"}}]` → `s.x`. */
export function nameList(items: Json[] | undefined): string {
  const parts = (items ?? []).map((i: Json) => i?.String?.sval ?? "").filter(Boolean);
  if (parts.length > 1 && (parts[0] === "public" || parts[0] === "pg_catalog")) parts.shift();
  return parts.join(".");
}

/** A table name as ops write it (`public.t` and `t` are the same table). */
export function tableKey(name: string): string {
  return name.startsWith("public.") ? name.slice("public.".length) : name;
}

/** A column type as PostgreSQL names it internally, with its modifiers: `varchar(20)`, `int4`, `timestamp[]`. */
export interface ColumnType {
  /** The base name, lower case, without `pg_catalog.`: `varchar`, `bpchar`, `int4`, `serial`, `timestamp`. */
  readonly name: string;
  /** Numeric modifiers: `[20]` for varchar(20). */
  readonly mods: readonly number[];
  readonly array: boolean;
}

export function columnType(typeName: Json): ColumnType {
  const name = nameList(typeName?.names).toLowerCase();
  const mods = (typeName?.typmods ?? []).map((m: Json) => m?.A_Const?.ival?.ival).filter((n: unknown) => typeof n === "number");
  return { name, mods, array: Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0 };
}

export function typeText(t: ColumnType): string {
  return `${t.name}${t.mods.length ? `(${t.mods.join(",")})` : ""}${t.array ? "[]" : ""}`;
}

const NO_COMMANDS: readonly Json[] = [];

/** The subcommands of `ALTER TABLE` (none for other statements); read once, when the statement is prepared. */
export function readAlterTableCommands(ast: Node, kind: string): readonly Json[] {
  if (kind !== "AlterTableStmt") return NO_COMMANDS;
  const b = body(ast, "AlterTableStmt");
  return b.objtype && b.objtype !== "OBJECT_TABLE" ? NO_COMMANDS : (b.cmds ?? []).map((c: Json) => c.AlterTableCmd).filter(Boolean);
}

/** The table an `ALTER TABLE`, `CREATE INDEX`, `UPDATE`, … acts on; read once, when the statement is prepared. */
export function readStatementTable(ast: Node, kind: string): string {
  return tableKey(relationName(body(ast, kind)?.relation));
}

/** The subcommands of `ALTER TABLE` (none for other statements). */
export function alterTableCommands(s: CheckedStatement): readonly Json[] {
  return s.commands;
}

/** The table an `ALTER TABLE`, `CREATE INDEX`, `UPDATE`, … acts on. */
export function statementTable(s: CheckedStatement): string {
  return s.table;
}

/** The column definitions an `ALTER TABLE … ADD COLUMN` adds (none for other statements). */
export function addedColumns(s: CheckedStatement): Json[] {
  return s.commands.flatMap((c) => (c.subtype === "AT_AddColumn" && c.def?.ColumnDef ? [c.def.ColumnDef] : []));
}

/** The serial pseudo-types: a column of one gets a sequence and a default from it. */
export const SERIAL_TYPES: ReadonlySet<string> = new Set(["serial", "serial4", "bigserial", "serial8", "smallserial", "serial2"]);

/** The constraints written on a column definition. */
export function columnConstraints(columnDef: Json): Json[] {
  return (columnDef?.constraints ?? []).map((c: Json) => c.Constraint).filter(Boolean);
}

/** Calls `visit` on every node object below `node` (depth first). */
export function walk(node: unknown, visit: (key: string, value: Json) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
  } else if (node && typeof node === "object") {
    // for…in rather than Object.entries: this runs over every node of 10,000-statement migrations.
    const o = node as Record<string, unknown>;
    for (const k in o) {
      const v = o[k];
      if (v && typeof v === "object") {
        visit(k, v);
        walk(v, visit);
      }
    }
  }
}

/** Names of the functions an expression calls, lower case, unqualified. */
export function functionsCalled(expr: unknown): string[] {
  const out: string[] = [];
  walk(expr, (key, value) => {
    if (key === "FuncCall") {
      const names = (value.funcname ?? []).map((n: Json) => n?.String?.sval).filter(Boolean);
      if (names.length) out.push(String(names[names.length - 1]).toLowerCase());
    }
  });
  return out;
}

/**
 * Where in a direction something first happens: key → index of the first
 * statement that does it. Rules ask "did a statement before this one …?" of
 * many statements; one forward pass per direction answers every such question,
 * where scanning the earlier statements each time is quadratic in a long migration.
 */
export type FirstIndexes = Map<string, number>;

/** Builds a direction's `FirstIndexes` once (per `cache`); `visit` calls `seen(key)` for what each statement does. */
export function firstIndexes(
  cache: WeakMap<readonly CheckedStatement[], FirstIndexes>,
  statements: readonly CheckedStatement[],
  visit: (s: CheckedStatement, seen: (key: string) => void) => void,
): FirstIndexes {
  let found = cache.get(statements);
  if (!found) {
    const map: FirstIndexes = new Map();
    for (const s of statements) visit(s, (key) => map.has(key) || map.set(key, s.index));
    cache.set(statements, map);
    found = map;
  }
  return found;
}

/** Whether `key` happens in `found` at a statement before `index`. */
export function before(found: FirstIndexes, key: string, index: number): boolean {
  const at = found.get(key);
  return at !== undefined && at < index;
}

const tablesCreated = new WeakMap<readonly CheckedStatement[], FirstIndexes>();

/**
 * Whether `table` is created by a statement before `index` in the same
 * direction: a table the migration itself creates has no rows and no readers
 * yet, so lock rules do not apply to it.
 */
export function isNewTable(statements: readonly CheckedStatement[], table: string, index: number): boolean {
  const created = firstIndexes(tablesCreated, statements, (s, seen) => {
    if (s.kind === "CreateStmt") seen(tableKey(relationName(body(s.ast, "CreateStmt").relation)));
    else if (s.kind === "CreateTableAsStmt") seen(tableKey(relationName(body(s.ast, "CreateTableAsStmt").into?.rel)));
  });
  return before(created, tableKey(table), index);
}

/**
 * Whether a statement sets `lock_timeout` (SET, SET LOCAL, or `set_config('lock_timeout', …)`)
 * to a non-zero value. SET LOCAL (and set_config's is_local) lasts until the
 * end of the transaction, so outside one (`transactional` false) it sets nothing.
 */
export function setsLockTimeout(s: CheckedStatement, transactional = true): boolean {
  if (s.kind === "VariableSetStmt") {
    const b = body(s.ast, "VariableSetStmt");
    if (b.name !== "lock_timeout" || b.kind !== "VAR_SET_VALUE") return false;
    if (b.is_local && !transactional) return false;
    const v = b.args?.[0]?.A_Const;
    // Zero turns the timeout off (the parse tree leaves a zero ival empty).
    if (v?.ival) return (v.ival.ival ?? 0) !== 0;
    if (v?.sval) return !/^\s*0+\s*(ms|s|min)?\s*$/i.test(v.sval.sval ?? "");
    return true;
  }
  // set_config is called from a SELECT; no other statement can set the timeout.
  if (s.kind !== "SelectStmt") return false;
  let found = false;
  walk(s.ast, (key, value) => {
    if (key !== "FuncCall") return;
    const name = (value.funcname ?? []).map((n: Json) => n?.String?.sval).pop();
    if (name !== "set_config" || value.args?.[0]?.A_Const?.sval?.sval !== "lock_timeout") return;
    const isLocal = value.args?.[2]?.A_Const?.boolval?.boolval === true;
    if (transactional || !isLocal) found = true;
  });
  return found;
}

/** Whether a statement is SET LOCAL lock_timeout (or set_config's local form), which a non-transactional migration ignores. */
export function setsLocalLockTimeout(s: CheckedStatement): boolean {
  return setsLockTimeout(s, true) && !setsLockTimeout(s, false);
}

/** The text of a statement's first line, for messages. */
export function firstLineOf(sql: string): string {
  const line = sql.split("\n")[0].trim();
  return line.length > 100 ? `${line.slice(0, 97)}…` : line;
}

/** Whether a statement was written as raw SQL (a `.sql` file or `op.execute`) rather than by an op. */
export function isRawSql(s: CheckedStatement): boolean {
  return s.op.kind === "execute";
}

/** The fix worded for how the statement was written: as an op call or as SQL. */
export function fixFor(s: CheckedStatement, fixes: { op: string; sql: string }): string {
  return isRawSql(s) ? fixes.sql : fixes.op;
}

/** Where the statement's table is one that exists before the migration (lock rules apply to it). */
export function onExistingTable(s: CheckedStatement, statements: readonly CheckedStatement[], table = statementTable(s)): boolean {
  return !isNewTable(statements, table, s.index);
}

/** How to acknowledge a finding on this statement, worded for how it was written. */
export function acknowledge(s: CheckedStatement, rule: string): string {
  return s.op.kind === "execute" && s.op.line !== undefined
    ? `\`-- sluice:allow ${rule} <reason>\` on the line above the statement`
    : isRawSql(s)
      ? `\`-- sluice:allow ${rule} <reason>\` above the statement, or \`allow: { "${rule}": "<reason>" }\` in op.execute's options`
      : `\`allow: { "${rule}": "<reason>" }\` in the op's options`;
}

/** ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE. */
const WEAKER_ALTERS = new Set(["AT_ValidateConstraint", "AT_SetStatistics", "AT_ClusterOn", "AT_DropCluster", "AT_AttachPartition"]);

/** A table a statement locks: its name when known, and how to call it in a message. */
export interface LockedTable {
  /** The table (`schema.table` or `table`), or undefined when only its index is named. */
  readonly table: string | undefined;
  /** The table's name, or `the table of index ix` when the statement names only the index. */
  readonly label: string;
}

/**
 * The tables a statement locks in ACCESS EXCLUSIVE mode (reads and writes
 * wait behind it, and everything queues behind it while it waits), as labels.
 * `statements` (the statement's direction) resolves DROP INDEX to the table of
 * an index created earlier in it; other indexes are named as such.
 */
export function accessExclusiveTables(s: CheckedStatement, statements: readonly CheckedStatement[] = []): LockedTable[] {
  const b = body(s.ast, s.kind);
  if (s.kind === "DropStmt" && b.removeType === "OBJECT_INDEX" && !b.concurrent) {
    return (b.objects ?? []).map((o: Json) => {
      const index = tableKey(nameList(o.List?.items));
      const table = indexTable(statements, index, s.index);
      return { table, label: table ?? `the table of index ${index}` };
    });
  }
  return lockedTableNames(s, b).map((table) => ({ table, label: table }));
}

const indexesCreated = new WeakMap<readonly CheckedStatement[], FirstIndexes>();

/** The table of an index created before `at` in `statements`. */
function indexTable(statements: readonly CheckedStatement[], index: string, at: number): string | undefined {
  const created = firstIndexes(indexesCreated, statements, (p, seen) => {
    if (p.kind === "IndexStmt") seen(tableKey(body(p.ast, "IndexStmt").idxname ?? ""));
  });
  return before(created, index, at) ? statementTable(statements[created.get(index)!]) : undefined;
}

function lockedTableNames(s: CheckedStatement, b: Json): string[] {
  switch (s.kind) {
    case "AlterTableStmt": {
      const cmds = alterTableCommands(s);
      const strong = cmds.some((c) => {
        if (WEAKER_ALTERS.has(c.subtype)) return false;
        // Adding a foreign key takes SHARE ROW EXCLUSIVE on both tables.
        if (c.subtype === "AT_AddConstraint" && c.def?.Constraint?.contype === "CONSTR_FOREIGN") return false;
        return true;
      });
      return strong ? [statementTable(s)] : [];
    }
    case "RenameStmt":
      return b.relation ? [tableKey(relationName(b.relation))] : [];
    case "DropStmt":
      if (b.removeType === "OBJECT_TABLE" || b.removeType === "OBJECT_MATVIEW") {
        return (b.objects ?? []).map((o: Json) => tableKey(nameList(o.List?.items)));
      }
      return [];
    case "TruncateStmt":
      return (b.relations ?? []).map((r: Json) => tableKey(relationName(r.RangeVar)));
    case "LockStmt":
      return (b.mode ?? 8) === 8 ? (b.relations ?? []).map((r: Json) => tableKey(relationName(r.RangeVar))) : [];
    case "ClusterStmt":
      return b.relation ? [tableKey(relationName(b.relation))] : [];
    case "VacuumStmt":
      return (b.options ?? []).some((o: Json) => o.DefElem?.defname === "full")
        ? (b.rels ?? []).map((r: Json) => tableKey(relationName(r.VacuumRelation?.relation)))
        : [];
    default:
      return [];
  }
}

/** A column whose type a statement writes: in CREATE TABLE, ADD COLUMN or ALTER COLUMN … TYPE. */
export interface TypedColumn {
  readonly table: string;
  readonly column: string;
  readonly type: ColumnType;
  /** Part of the primary key, or an identity column. */
  readonly key: boolean;
  /** An identity column, or a primary key of its own: where the values are generated rather than copied from another table. */
  readonly generatedKey: boolean;
}

const typedCache = new WeakMap<CheckedStatement, TypedColumn[]>();

/** The columns whose types a statement writes (computed once per statement: five type rules read them). */
export function typedColumns(s: CheckedStatement): TypedColumn[] {
  let out = typedCache.get(s);
  if (!out) {
    out = findTypedColumns(s);
    typedCache.set(s, out);
  }
  return out;
}

function findTypedColumns(s: CheckedStatement): TypedColumn[] {
  const out: TypedColumn[] = [];
  const table = statementTable(s);
  // Columns of the statement's table-level foreign keys: their values come from the referenced table.
  const foreignKeyColumns = new Set<string>();
  if (s.kind === "CreateStmt") {
    for (const e of body(s.ast, "CreateStmt").tableElts ?? []) {
      if (e.Constraint?.contype === "CONSTR_FOREIGN") for (const a of e.Constraint.fk_attrs ?? []) foreignKeyColumns.add(a.String?.sval);
    }
  }
  const add = (def: Json, tableKeys: readonly string[]) => {
    if (!def?.typeName) return;
    const own = columnConstraints(def);
    const identity = own.some((k) => k.contype === "CONSTR_IDENTITY");
    const references = own.some((k) => k.contype === "CONSTR_FOREIGN") || foreignKeyColumns.has(def.colname);
    const key = tableKeys.includes(def.colname) || identity || own.some((k) => k.contype === "CONSTR_PRIMARY");
    const generatedKey = identity || (key && !references && (tableKeys.length <= 1 || !tableKeys.includes(def.colname)));
    out.push({ table, column: def.colname, type: columnType(def.typeName), key, generatedKey });
  };
  if (s.kind === "CreateStmt") {
    const elts: Json[] = body(s.ast, "CreateStmt").tableElts ?? [];
    const pk = elts.map((e) => e.Constraint).find((k) => k?.contype === "CONSTR_PRIMARY");
    const keys = (pk?.keys ?? []).map((k: Json) => k.String?.sval);
    for (const e of elts) add(e.ColumnDef, keys);
  }
  for (const c of alterTableCommands(s)) {
    if (c.subtype === "AT_AddColumn") add(c.def?.ColumnDef, []);
    if (c.subtype === "AT_AlterColumnType") add({ ...c.def?.ColumnDef, colname: c.name }, []);
  }
  return out;
}

/** The column of an expression that is exactly `column IS NOT NULL`. */
function notNullTestColumn(expr: Json): string | undefined {
  const t = expr?.NullTest;
  const fields = t?.arg?.ColumnRef?.fields ?? [];
  return t?.nulltesttype === "IS_NOT_NULL" && fields.length === 1 ? fields[0]?.String?.sval : undefined;
}

const notNullProofs = new WeakMap<readonly CheckedStatement[], FirstIndexes>();

/** A `table.column` key for `FirstIndexes`. */
export const columnKey = (table: string, column: string) => `${table}\0${column}`;

/** Whether a validated CHECK (column IS NOT NULL) on `table` exists before `s` in the migration. */
export function provenNotNull(statements: readonly CheckedStatement[], s: CheckedStatement, table: string, column: string): boolean {
  const proofs = notNullProofs.get(statements) ?? firstIndexes(notNullProofs, statements, notNullProofsVisitor());
  return before(proofs, columnKey(table, column), s.index);
}

function notNullProofsVisitor(): (p: CheckedStatement, seen: (key: string) => void) => void {
  // NOT VALID checks by table and constraint name: the columns they prove once validated.
  const pending = new Map<string, string[]>();
  return (p, seen) => {
    const table = statementTable(p);
    for (const c of alterTableCommands(p)) {
      const k = c.subtype === "AT_AddConstraint" ? c.def?.Constraint : undefined;
      const checked = k?.contype === "CONSTR_CHECK" ? notNullTestColumn(k.raw_expr) : undefined;
      if (checked !== undefined) {
        if (!k.skip_validation) seen(columnKey(table, checked));
        else if (k.conname) pending.set(columnKey(table, k.conname), [...(pending.get(columnKey(table, k.conname)) ?? []), checked]);
      }
      if (c.subtype === "AT_ValidateConstraint") for (const proved of pending.get(columnKey(table, c.name)) ?? []) seen(columnKey(table, proved));
    }
  };
}

/** The tables that existed before the migration which a statement locks in ACCESS EXCLUSIVE mode. */
export function accessExclusiveExisting(s: CheckedStatement, statements: readonly CheckedStatement[]): LockedTable[] {
  return accessExclusiveTables(s, statements).filter((t) => t.table === undefined || !isNewTable(statements, t.table, s.index));
}
