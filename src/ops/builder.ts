import type {
  AddColumnOp, AddEnumValueOp, AlterColumnOp, Allow, ColumnSpec, CreateCheckConstraintOp, CreateForeignKeyOp,
  CreateIndexOp, CreatePrimaryKeyOp, CreateTableOp, CreateUniqueConstraintOp, DropColumnOp, DropConstraintOp,
  DropEnumOp, DropIndexOp, DropTableOp, ExecuteOp, IndexColumn, Op,
} from "./types.js";

type Opts<T extends Op, Given extends keyof T> = Omit<T, "kind" | Given>;

/**
 * The `op` object a migration's `upgrade(op)` and `downgrade(op)` receive.
 * Each call records one op (plain data); nothing runs until the runner renders them.
 *
 * @example
 * upgrade(op) {
 *   op.addColumn("products", { name: "pim_id", type: "varchar(64)", nullable: true });
 *   op.createIndex("uq_products_pim_id", "products", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });
 * }
 */
export interface OpBuilder {
  execute(sql: string, opts?: { reverseSql?: string; allow?: Allow }): void;
  createTable(table: string, columns: ColumnSpec[], opts?: Opts<CreateTableOp, "table" | "columns">): void;
  dropTable(table: string, opts?: Opts<DropTableOp, "table">): void;
  renameTable(table: string, newName: string, opts?: { allow?: Allow }): void;
  addColumn(table: string, column: ColumnSpec, opts?: Opts<AddColumnOp, "table" | "column">): void;
  dropColumn(table: string, column: string, opts?: Opts<DropColumnOp, "table" | "column">): void;
  alterColumn(table: string, column: string, changes: Opts<AlterColumnOp, "table" | "column">): void;
  renameColumn(table: string, column: string, newName: string, opts?: { allow?: Allow }): void;
  createIndex(name: string, table: string, columns: IndexColumn[], opts?: Opts<CreateIndexOp, "name" | "table" | "columns">): void;
  dropIndex(name: string, opts?: Opts<DropIndexOp, "name">): void;
  createForeignKey(
    name: string, table: string, columns: string[], refTable: string, refColumns: string[],
    opts?: Opts<CreateForeignKeyOp, "name" | "table" | "columns" | "refTable" | "refColumns">,
  ): void;
  createUniqueConstraint(name: string, table: string, columns: string[], opts?: Opts<CreateUniqueConstraintOp, "name" | "table" | "columns">): void;
  createCheckConstraint(name: string, table: string, expression: string, opts?: Opts<CreateCheckConstraintOp, "name" | "table" | "expression">): void;
  createPrimaryKey(name: string, table: string, columns: string[], opts?: Opts<CreatePrimaryKeyOp, "name" | "table" | "columns">): void;
  validateConstraint(name: string, table: string): void;
  dropConstraint(name: string, table: string, opts?: Opts<DropConstraintOp, "name" | "table">): void;
  createEnum(name: string, values: string[]): void;
  addEnumValue(enumName: string, value: string, opts?: Opts<AddEnumValueOp, "enum" | "value">): void;
  dropEnum(name: string, opts?: Opts<DropEnumOp, "name">): void;
}

/**
 * A fresh `op` object and the list it records into. `lines[i]` is the line of
 * the call that recorded `ops[i]` in `file` (when given and found on the
 * stack), so findings can point at it; the ops themselves stay plain data.
 */
export function recordOps(file?: string): { op: OpBuilder; ops: Op[]; lines: (number | undefined)[] } {
  const ops: Op[] = [];
  const lines: (number | undefined)[] = [];
  const push = (o: Op) => {
    ops.push(o);
    lines.push(file === undefined ? undefined : callSiteLine(file));
  };
  const op: OpBuilder = {
    execute: (sql, opts) => push({ kind: "execute", sql, ...opts } satisfies ExecuteOp),
    createTable: (table, columns, opts) => push({ kind: "createTable", table, columns, ...opts }),
    dropTable: (table, opts) => push({ kind: "dropTable", table, ...opts }),
    renameTable: (table, newName, opts) => push({ kind: "renameTable", table, newName, ...opts }),
    addColumn: (table, column, opts) => push({ kind: "addColumn", table, column, ...opts }),
    dropColumn: (table, column, opts) => push({ kind: "dropColumn", table, column, ...opts }),
    alterColumn: (table, column, changes) => push({ kind: "alterColumn", table, column, ...changes }),
    renameColumn: (table, column, newName, opts) => push({ kind: "renameColumn", table, column, newName, ...opts }),
    createIndex: (name, table, columns, opts) => push({ kind: "createIndex", name, table, columns, ...opts }),
    dropIndex: (name, opts) => push({ kind: "dropIndex", name, ...opts }),
    createForeignKey: (name, table, columns, refTable, refColumns, opts) =>
      push({ kind: "createForeignKey", name, table, columns, refTable, refColumns, ...opts }),
    createUniqueConstraint: (name, table, columns, opts) => push({ kind: "createUniqueConstraint", name, table, columns, ...opts }),
    createCheckConstraint: (name, table, expression, opts) => push({ kind: "createCheckConstraint", name, table, expression, ...opts }),
    createPrimaryKey: (name, table, columns, opts) => push({ kind: "createPrimaryKey", name, table, columns, ...opts }),
    validateConstraint: (name, table) => push({ kind: "validateConstraint", name, table }),
    dropConstraint: (name, table, opts) => push({ kind: "dropConstraint", name, table, ...opts }),
    createEnum: (name, values) => push({ kind: "createEnum", name, values }),
    addEnumValue: (enumName, value, opts) => push({ kind: "addEnumValue", enum: enumName, value, ...opts }),
    dropEnum: (name, opts) => push({ kind: "dropEnum", name, ...opts }),
  };
  return { op, ops, lines };
}

/**
 * The line in `file` of the innermost stack frame that is in that file. Reads
 * V8's structured call sites instead of formatting the stack as text, which
 * costs several times more per recorded op.
 */
function callSiteLine(file: string): number | undefined {
  const holder: { stack?: NodeJS.CallSite[] } = {};
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, sites) => sites;
  try {
    Error.captureStackTrace(holder, callSiteLine);
    for (const site of holder.stack ?? []) {
      const name = site.getFileName();
      if (name && (name === file || name.endsWith(file) || name === `file://${file}`)) return site.getLineNumber() ?? undefined;
    }
    return undefined;
  } finally {
    Error.prepareStackTrace = previous;
  }
}
