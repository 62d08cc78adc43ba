import type {
  AddColumnOp, AddEnumValueOp, AlterColumnOp, Allow, ColumnSpec, CreateCheckConstraintOp, CreateForeignKeyOp,
  CreateIndexOp, CreatePrimaryKeyOp, CreateTableOp, CreateUniqueConstraintOp, DropColumnOp, DropConstraintOp,
  DropEnumOp, DropIndexOp, DropTableOp, ExecuteOp, IndexColumn, Op, PolicySpec, RoleOptions, DropPolicyOp, DropRoleOp,
} from "./types.js";
import { createRequire } from "node:module";

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
  /** CREATE POLICY: `op.createPolicy("notes_read", "notes", { for: "select", to: ["reader"], using: "owner_id = 1" })`. */
  createPolicy(name: string, table: string, policy?: PolicySpec & { allow?: Allow }): void;
  dropPolicy(name: string, table: string, opts?: Opts<DropPolicyOp, "name" | "table">): void;
  enableRowLevelSecurity(table: string, opts?: { force?: boolean; allow?: Allow }): void;
  disableRowLevelSecurity(table: string, opts?: { force?: boolean; allow?: Allow }): void;
  createRole(name: string, opts?: RoleOptions & { allow?: Allow }): void;
  alterRole(name: string, to: RoleOptions, opts?: { existing?: RoleOptions; allow?: Allow }): void;
  dropRole(name: string, opts?: Opts<DropRoleOp, "name">): void;
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
  const recorder: OpBuilder = {
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
    createPolicy: (name, table, policy) => push({ kind: "createPolicy", name, table, ...policy }),
    dropPolicy: (name, table, opts) => push({ kind: "dropPolicy", name, table, ...opts }),
    enableRowLevelSecurity: (table, opts) => push({ kind: "enableRowLevelSecurity", table, ...opts }),
    disableRowLevelSecurity: (table, opts) => push({ kind: "disableRowLevelSecurity", table, ...opts }),
    createRole: (name, opts) => push({ kind: "createRole", name, ...opts }),
    alterRole: (name, to, opts) => push({ kind: "alterRole", name, to, ...opts }),
    dropRole: (name, opts) => push({ kind: "dropRole", name, ...opts }),
  };
  // Each call's arguments are checked before they are recorded: a migration's mistake is reported
  // as its own (file, op, field), not as a TypeError deep in the renderer.
  const op = Object.fromEntries(
    (Object.keys(recorder) as (keyof OpBuilder)[]).map((method) => [
      method,
      (...args: unknown[]) => {
        checkArguments(method, args, file);
        (recorder[method] as (...a: unknown[]) => void)(...args);
      },
    ]),
  ) as unknown as OpBuilder;
  return { op, ops, lines };
}

/** A call to an `op` method with arguments it cannot record. */
export class OpArgumentError extends Error {
  constructor(
    message: string,
    /** The line of the call in the migration file, when found. */
    readonly line?: number,
  ) {
    super(message);
    this.name = "OpArgumentError";
  }
}

type Zod = typeof import("zod");
type Schema = import("zod").ZodType;
/** One positional argument: its name in messages, what it must be, and its schema. */
type Argument = { name: string; expected: string; schema: Schema };
let signatures: Record<keyof OpBuilder, Argument[]> | undefined;

/** The arguments of every `op` method, built on first use so that commands that record no op never load zod. */
function opSignatures(): Record<keyof OpBuilder, Argument[]> {
  if (signatures) return signatures;
  const { z } = createRequire(import.meta.url)("zod") as Zod;
  const name = z.string().min(1);
  // PostgreSQL reads the action in any case, as files written before this check may have it.
  const action = z.string().regex(/^(cascade|set null|set default|restrict|no action)$/i, { error: 'must be one of "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"' });
  const bound = z.union([z.string(), z.number()]).optional();
  const column = z.strictObject({
    name,
    type: name,
    nullable: z.boolean().optional(),
    serverDefault: z.union([z.string(), z.number(), z.boolean()]).optional(),
    primaryKey: z.boolean().optional(),
    unique: z.boolean().optional(),
    references: z.strictObject({ table: name, column: name.optional(), onDelete: action.optional(), onUpdate: action.optional(), name: name.optional() }).optional(),
    identity: z.enum(["always", "by default"]).optional(),
    identityOptions: z.strictObject({ start: bound, increment: bound, min: bound, max: bound, cache: bound, cycle: z.boolean().optional() }).optional(),
    generated: name.optional(),
    collation: name.optional(),
  });
  const arg = (argName: string, expected: string, schema: Schema): Argument => ({ name: argName, expected, schema });
  const ident = (argName: string) => arg(argName, "must be a non-empty string", name);
  const names = (argName: string) => arg(argName, "must be a non-empty list of names", z.array(name).min(1));
  const options = (argName = "options") => arg(argName, "must be an object when given", z.record(z.string(), z.unknown()).optional());
  const sql = (argName: string) => arg(argName, "must be a string of SQL", z.string());
  signatures = {
    execute: [sql("sql"), options()],
    createTable: [ident("table"), arg("columns", "must be a list of column objects, each with name and type", z.array(column)), options()],
    dropTable: [ident("table"), options()],
    renameTable: [ident("table"), ident("newName"), options()],
    addColumn: [ident("table"), arg("column", "must be an object with name and type", column), options()],
    dropColumn: [ident("table"), ident("column"), options()],
    alterColumn: [ident("table"), ident("column"), arg("changes", "must be an object of changes ({ type, nullable, serverDefault, … })", z.record(z.string(), z.unknown()))],
    renameColumn: [ident("table"), ident("column"), ident("newName"), options()],
    createIndex: [
      ident("name"),
      ident("table"),
      arg("columns", "must be a non-empty list of column names or { expression } objects", z.array(z.union([name, z.strictObject({ expression: name })])).min(1)),
      options(),
    ],
    dropIndex: [ident("name"), options()],
    createForeignKey: [ident("name"), ident("table"), names("columns"), ident("refTable"), names("refColumns"), options()],
    createUniqueConstraint: [ident("name"), ident("table"), names("columns"), options()],
    createCheckConstraint: [ident("name"), ident("table"), sql("expression"), options()],
    createPrimaryKey: [arg("name", "must be a non-empty string, or undefined for PostgreSQL's name", name.optional()), ident("table"), names("columns"), options()],
    validateConstraint: [ident("name"), ident("table")],
    dropConstraint: [ident("name"), ident("table"), options()],
    createEnum: [ident("name"), arg("values", "must be a list of strings", z.array(z.string()))],
    addEnumValue: [ident("enum"), arg("value", "must be a string", z.string()), options()],
    dropEnum: [ident("name"), options()],
    createPolicy: [
      ident("name"),
      ident("table"),
      arg(
        "policy",
        "must be an object ({ as, for, to, using, withCheck }) when given",
        z
          .strictObject({
            as: z.enum(["permissive", "restrictive"]).optional(),
            for: z.enum(["all", "select", "insert", "update", "delete"]).optional(),
            to: z.array(name).optional(),
            using: z.string().optional(),
            withCheck: z.string().optional(),
            allow: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
      ),
    ],
    dropPolicy: [ident("name"), ident("table"), options()],
    enableRowLevelSecurity: [ident("table"), options()],
    disableRowLevelSecurity: [ident("table"), options()],
    createRole: [ident("name"), options()],
    alterRole: [ident("name"), arg("to", "must be an object of attributes ({ createDb, createRole, inherit })", z.record(z.string(), z.unknown())), options()],
    dropRole: [ident("name"), options()],
  };
  return signatures;
}

function checkArguments(method: keyof OpBuilder, args: unknown[], file: string | undefined): void {
  const signature = opSignatures()[method];
  for (const [i, a] of signature.entries()) {
    const result = a.schema.safeParse(args[i]);
    if (result.success) continue;
    const issue = result.error.issues[0];
    const where = issue.path.length ? `${a.name}.${issue.path.join(".")}` : a.name;
    const what = issue.path.length ? issueText(issue) : a.expected;
    const value = issue.path.length ? valueAt(args[i], issue.path) : args[i];
    const got = issue.code === "unrecognized_keys" || (issue.path.length && value === undefined) ? "" : ` (got ${describeValue(value)})`;
    throw new OpArgumentError(`${method}: ${where} ${what}${got}.`, file === undefined ? undefined : callSiteLine(file));
  }
  if (args.length > signature.length) {
    throw new OpArgumentError(`${method}: takes ${signature.map((a) => a.name).join(", ")}; got ${args.length} arguments.`, file === undefined ? undefined : callSiteLine(file));
  }
}

function issueText(issue: import("zod").core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `is missing; it must be a ${issue.expected}` : `must be a ${issue.expected}`;
    case "too_small":
      return "must not be empty";
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `has unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    default:
      return issue.message;
  }
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const k of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return v ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : "an empty string";
  return `${typeof v} ${String(v)}`;
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
