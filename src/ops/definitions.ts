import type { ColumnSpec, CreateTableOp, IndexColumn, LockLevel, Op, OpFacts, OpKind, OpOf, ExistingConstraint, PolicySpec, RoleOptions } from "./types.js";
import { typeChangeRewrites } from "./rewrite.js";
import { quoteIdent, quoteLiteral, quoteQualified, splitQualified } from "./quote.js";

/**
 * Everything Sluice knows about one kind of op, in one place: its SQL, its
 * inverse (or `undefined` when it has none) and its safety facts.
 */
interface OpDefinition<K extends OpKind> {
  render(op: OpOf<K>): string[];
  reverse(op: OpOf<K>): Op[] | undefined;
  facts(op: OpOf<K>): OpFacts;
}

const q = quoteIdent;
const qt = quoteQualified;
const list = (names: readonly string[]) => names.map(q).join(", ");

/** A type as written, except that a single mixed-case name is a quoted identifier. */
export function renderType(type: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(type) && type !== type.toLowerCase()) return q(type);
  if (/^[A-Za-z_][A-Za-z0-9_$]*\.[A-Za-z_][A-Za-z0-9_$]*$/.test(type) && type !== type.toLowerCase()) return qt(type);
  return type;
}

export function renderDefault(value: string | number | boolean): string {
  return typeof value === "string" ? value : String(value);
}

export function renderColumn(c: ColumnSpec): string {
  const parts = [q(c.name), renderType(c.type)];
  if (c.collation) parts.push(`COLLATE ${q(c.collation)}`);
  if (c.identity) parts.push(`GENERATED ${c.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${renderIdentityOptions(c.identityOptions)}`);
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated}) STORED`);
  if (c.serverDefault !== undefined) parts.push(`DEFAULT ${renderDefault(c.serverDefault)}`);
  if (c.nullable === false && !c.primaryKey) parts.push("NOT NULL");
  if (c.primaryKey) parts.push("PRIMARY KEY");
  if (c.unique) parts.push("UNIQUE");
  if (c.references) {
    const r = c.references;
    if (r.name) parts.push(`CONSTRAINT ${q(r.name)}`);
    parts.push(`REFERENCES ${qt(r.table)}${r.column ? ` (${q(r.column)})` : ""}`);
    if (r.onDelete) parts.push(`ON DELETE ${r.onDelete}`);
    if (r.onUpdate) parts.push(`ON UPDATE ${r.onUpdate}`);
  }
  return parts.join(" ");
}

function renderIdentityOptions(o: ColumnSpec["identityOptions"]): string {
  if (!o) return "";
  const parts: string[] = [];
  if (o.start !== undefined) parts.push(`START WITH ${o.start}`);
  if (o.increment !== undefined) parts.push(`INCREMENT BY ${o.increment}`);
  if (o.min !== undefined) parts.push(`MINVALUE ${o.min}`);
  if (o.max !== undefined) parts.push(`MAXVALUE ${o.max}`);
  if (o.cache !== undefined) parts.push(`CACHE ${o.cache}`);
  if (o.cycle !== undefined) parts.push(o.cycle ? "CYCLE" : "NO CYCLE");
  return parts.length ? ` (${parts.join(" ")})` : "";
}

function renderIndexColumn(c: IndexColumn): string {
  return typeof c === "string" ? q(c) : `(${c.expression})`;
}

/** The schema of a qualified table, to qualify an index or constraint name beside it. */
function sameSchema(table: string, name: string): string {
  const [schema] = splitQualified(table);
  return schema === undefined ? q(name) : `${q(schema)}.${q(name)}`;
}

function facts(lock: LockLevel, tables: readonly string[], more: Partial<OpFacts> = {}): OpFacts {
  return { lock, tables, rewrite: false, destructive: false, noTransaction: false, ...more };
}

function constraintOp(name: string, table: string, existing: ExistingConstraint): Op {
  const { type, ...body } = existing;
  switch (type) {
    case "foreignKey":
      return { kind: "createForeignKey", name, table, ...(body as Omit<typeof existing & { type: "foreignKey" }, "type">) };
    case "unique":
      return { kind: "createUniqueConstraint", name, table, ...(body as { columns: string[] }) };
    case "check":
      return { kind: "createCheckConstraint", name, table, ...(body as { expression: string }) };
    case "primaryKey":
      return { kind: "createPrimaryKey", name, table, ...(body as { columns: string[] }) };
  }
}

/** Role names that are keywords in a policy's TO list, written bare. */
const ROLE_KEYWORDS = new Set(["public", "current_user", "current_role", "session_user"]);

function renderPolicy(name: string, table: string, p: PolicySpec): string {
  let sql = `CREATE POLICY ${q(name)} ON ${qt(table)} AS ${(p.as ?? "permissive").toUpperCase()} FOR ${(p.for ?? "all").toUpperCase()}`;
  sql += ` TO ${(p.to?.length ? p.to : ["public"]).map((r) => (ROLE_KEYWORDS.has(r.toLowerCase()) ? r : q(r))).join(", ")}`;
  if (p.using !== undefined) sql += ` USING (${p.using})`;
  if (p.withCheck !== undefined) sql += ` WITH CHECK (${p.withCheck})`;
  return sql;
}

function policySpec(op: PolicySpec): PolicySpec {
  return withoutKeys({ as: op.as, for: op.for, to: op.to, using: op.using, withCheck: op.withCheck }, []) as PolicySpec;
}

function renderRoleOptions(o: RoleOptions): string {
  const parts: string[] = [];
  if (o.createDb !== undefined) parts.push(o.createDb ? "CREATEDB" : "NOCREATEDB");
  if (o.createRole !== undefined) parts.push(o.createRole ? "CREATEROLE" : "NOCREATEROLE");
  if (o.inherit !== undefined) parts.push(o.inherit ? "INHERIT" : "NOINHERIT");
  return parts.length ? ` WITH ${parts.join(" ")}` : "";
}

const roleOptions = (o: RoleOptions): RoleOptions => withoutKeys({ createDb: o.createDb, createRole: o.createRole, inherit: o.inherit }, []) as RoleOptions;

const definitions: { [K in OpKind]: OpDefinition<K> } = {
  execute: {
    render: (op) => [op.sql],
    reverse: (op) => (op.reverseSql === undefined ? undefined : [{ kind: "execute", sql: op.reverseSql, reverseSql: op.sql }]),
    // Raw SQL is judged by the checks from its parse tree, not here.
    facts: () => facts("NONE", []),
  },
  createTable: {
    render(op) {
      const defs = op.columns.map(renderColumn);
      if (op.primaryKey?.length) defs.push(`${op.primaryKeyName ? `CONSTRAINT ${q(op.primaryKeyName)} ` : ""}PRIMARY KEY (${list(op.primaryKey)})`);
      return [`CREATE TABLE ${op.ifNotExists ? "IF NOT EXISTS " : ""}${qt(op.table)} (\n  ${defs.join(",\n  ")}\n)`];
    },
    reverse: (op) => [
      { kind: "dropTable", table: op.table, existing: withoutKeys({ table: op.table, columns: op.columns, primaryKey: op.primaryKey, primaryKeyName: op.primaryKeyName }, []) as Omit<CreateTableOp, "kind"> },
    ],
    facts: (op) => facts("NONE", [], { tables: [op.table] }),
  },
  dropTable: {
    render: (op) => [`DROP TABLE ${op.ifExists ? "IF EXISTS " : ""}${qt(op.table)}${op.cascade ? " CASCADE" : ""}`],
    reverse: (op) => (op.existing ? [{ kind: "createTable", ...op.existing, table: op.table }] : undefined),
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table], { destructive: true }),
  },
  renameTable: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} RENAME TO ${q(splitQualified(op.newName)[1])}`],
    reverse: (op) => {
      const [schema] = splitQualified(op.table);
      const renamed = schema === undefined ? op.newName : `${schema}.${splitQualified(op.newName)[1]}`;
      return [{ kind: "renameTable", table: renamed, newName: splitQualified(op.table)[1] }];
    },
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  addColumn: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} ADD COLUMN ${op.ifNotExists ? "IF NOT EXISTS " : ""}${renderColumn(op.column)}`],
    reverse: (op) => [{ kind: "dropColumn", table: op.table, column: op.column.name, existing: op.column }],
    facts: (op) => {
      // Since PostgreSQL 11 a constant default is stored in the catalog; a volatile
      // one (or a stored generated column, or identity) rewrites the table.
      const d = op.column.serverDefault;
      const volatile = typeof d === "string" && /\b(random|gen_random_uuid|uuid_generate_v\d|clock_timestamp|nextval|timeofday)\s*\(/i.test(d);
      const rewrite = volatile || !!op.column.generated || !!op.column.identity;
      const lock: LockLevel = "ACCESS EXCLUSIVE";
      const tables = op.column.references ? [op.table, op.column.references.table] : [op.table];
      return facts(lock, tables, { rewrite });
    },
  },
  dropColumn: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} DROP COLUMN ${op.ifExists ? "IF EXISTS " : ""}${q(op.column)}${op.cascade ? " CASCADE" : ""}`],
    reverse: (op) => (op.existing ? [{ kind: "addColumn", table: op.table, column: op.existing }] : undefined),
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table], { destructive: true }),
  },
  alterColumn: {
    render(op) {
      const t = `ALTER TABLE ${qt(op.table)}`;
      const c = q(op.column);
      const actions: string[] = [];
      if (op.type !== undefined) actions.push(`ALTER COLUMN ${c} TYPE ${renderType(op.type)}${op.using ? ` USING ${op.using}` : ""}`);
      if (op.serverDefault === null) actions.push(`ALTER COLUMN ${c} DROP DEFAULT`);
      else if (op.serverDefault !== undefined) actions.push(`ALTER COLUMN ${c} SET DEFAULT ${renderDefault(op.serverDefault)}`);
      if (op.nullable === true) actions.push(`ALTER COLUMN ${c} DROP NOT NULL`);
      if (op.nullable === false) actions.push(`ALTER COLUMN ${c} SET NOT NULL`);
      return actions.length ? [`${t} ${actions.join(", ")}`] : [];
    },
    reverse(op) {
      const e = op.existing;
      if (op.type !== undefined && e?.type === undefined) return undefined;
      if (op.nullable !== undefined && e?.nullable === undefined) return undefined;
      if (op.serverDefault !== undefined && e?.serverDefault === undefined) return undefined;
      return [
        {
          kind: "alterColumn",
          table: op.table,
          column: op.column,
          ...(op.type !== undefined ? { type: e!.type, using: e!.using ?? `${q(op.column)}::${renderType(e!.type!)}` } : {}),
          ...(op.nullable !== undefined ? { nullable: e!.nullable } : {}),
          ...(op.serverDefault !== undefined ? { serverDefault: e!.serverDefault } : {}),
          existing: {
            ...(op.type !== undefined ? { type: op.type, ...(op.using !== undefined ? { using: op.using } : {}) } : {}),
            ...(op.nullable !== undefined ? { nullable: op.nullable } : {}),
            ...(op.serverDefault !== undefined ? { serverDefault: op.serverDefault } : {}),
          },
        },
      ];
    },
    facts(op) {
      const onlyDefault = op.type === undefined && op.nullable === undefined;
      // SET NOT NULL scans the whole table under ACCESS EXCLUSIVE unless a validated
      // CHECK (col IS NOT NULL) proves it; a type change may rewrite it.
      return facts(onlyDefault ? "ACCESS EXCLUSIVE" : "ACCESS EXCLUSIVE", [op.table], {
        rewrite: op.type === undefined ? false : op.existing?.type === undefined ? "maybe" : typeChangeRewrites(op.existing.type, op.type),
      });
    },
  },
  renameColumn: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} RENAME COLUMN ${q(op.column)} TO ${q(op.newName)}`],
    reverse: (op) => [{ kind: "renameColumn", table: op.table, column: op.newName, newName: op.column }],
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  createIndex: {
    render(op) {
      const parts = [`CREATE ${op.unique ? "UNIQUE " : ""}INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifNotExists ? "IF NOT EXISTS " : ""}${q(op.name)} ON ${qt(op.table)}`];
      if (op.method && op.method.toLowerCase() !== "btree") parts.push(`USING ${op.method}`);
      parts.push(`(${op.columns.map(renderIndexColumn).join(", ")})`);
      if (op.include?.length) parts.push(`INCLUDE (${list(op.include)})`);
      if (op.where) parts.push(`WHERE ${op.where}`);
      return [parts.join(" ")];
    },
    reverse: (op) => [
      {
        kind: "dropIndex",
        name: splitQualified(op.table)[0] === undefined ? op.name : `${splitQualified(op.table)[0]}.${op.name}`,
        concurrently: op.concurrently,
        existing: { table: op.table, columns: op.columns, unique: op.unique, where: op.where, method: op.method, include: op.include },
      },
    ],
    facts: (op) => facts(op.concurrently ? "SHARE UPDATE EXCLUSIVE" : "SHARE", [op.table], { noTransaction: !!op.concurrently }),
  },
  dropIndex: {
    render: (op) => [`DROP INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${op.ifExists ? "IF EXISTS " : ""}${qt(op.name)}${op.cascade ? " CASCADE" : ""}`],
    reverse: (op) =>
      op.existing ? [{ kind: "createIndex", name: splitQualified(op.name)[1], ...op.existing, concurrently: op.concurrently }] : undefined,
    facts: (op) =>
      facts(op.concurrently ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE", op.existing ? [op.existing.table] : [], {
        destructive: true,
        noTransaction: !!op.concurrently,
      }),
  },
  createForeignKey: {
    render(op) {
      let sql = `ALTER TABLE ${qt(op.table)} ADD CONSTRAINT ${q(op.name)} FOREIGN KEY (${list(op.columns)}) REFERENCES ${qt(op.refTable)} (${list(op.refColumns)})`;
      if (op.onDelete) sql += ` ON DELETE ${op.onDelete}`;
      if (op.onUpdate) sql += ` ON UPDATE ${op.onUpdate}`;
      if (op.deferrable) sql += " DEFERRABLE";
      if (op.notValid) sql += " NOT VALID";
      return [sql];
    },
    reverse: (op) => [{ kind: "dropConstraint", name: op.name, table: op.table, existing: { type: "foreignKey", ...withoutKeys(op, ["kind", "name", "table", "allow"]) } as ExistingConstraint }],
    // Both tables take SHARE ROW EXCLUSIVE; without NOT VALID every row is checked under it.
    facts: (op) => facts("SHARE ROW EXCLUSIVE", [op.table, op.refTable]),
  },
  createUniqueConstraint: {
    render: (op) => [
      op.usingIndex
        ? `ALTER TABLE ${qt(op.table)} ADD CONSTRAINT ${q(op.name)} UNIQUE USING INDEX ${q(op.usingIndex)}`
        : `ALTER TABLE ${qt(op.table)} ADD CONSTRAINT ${q(op.name)} UNIQUE (${list(op.columns)})`,
    ],
    reverse: (op) => [{ kind: "dropConstraint", name: op.name, table: op.table, existing: { type: "unique", columns: op.columns, usingIndex: op.usingIndex } }],
    // USING INDEX builds nothing and scans nothing, but still takes ACCESS EXCLUSIVE for its catalog change.
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  createCheckConstraint: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} ADD CONSTRAINT ${q(op.name)} CHECK (${op.expression})${op.notValid ? " NOT VALID" : ""}`],
    reverse: (op) => [{ kind: "dropConstraint", name: op.name, table: op.table, existing: { type: "check", expression: op.expression, notValid: op.notValid } }],
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  createPrimaryKey: {
    render: (op) => {
      const name = op.name ? `CONSTRAINT ${q(op.name)} ` : "";
      return [
        op.usingIndex
          ? `ALTER TABLE ${qt(op.table)} ADD ${name}PRIMARY KEY USING INDEX ${q(op.usingIndex)}`
          : `ALTER TABLE ${qt(op.table)} ADD ${name}PRIMARY KEY (${list(op.columns)})`,
      ];
    },
    reverse: (op) =>
      op.name ? [{ kind: "dropConstraint", name: op.name, table: op.table, existing: { type: "primaryKey", columns: op.columns } }] : undefined,
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  validateConstraint: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} VALIDATE CONSTRAINT ${q(op.name)}`],
    // Validation cannot be undone and need not be: the constraint stays.
    reverse: () => [],
    facts: (op) => facts("SHARE UPDATE EXCLUSIVE", [op.table]),
  },
  dropConstraint: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} DROP CONSTRAINT ${op.ifExists ? "IF EXISTS " : ""}${q(op.name)}${op.cascade ? " CASCADE" : ""}`],
    reverse: (op) => (op.existing ? [constraintOp(op.name, op.table, op.existing)] : undefined),
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table], { destructive: true }),
  },
  createEnum: {
    render: (op) => [`CREATE TYPE ${qt(op.name)} AS ENUM (${op.values.map(quoteLiteral).join(", ")})`],
    reverse: (op) => [{ kind: "dropEnum", name: op.name, existing: { values: op.values } }],
    facts: () => facts("NONE", []),
  },
  addEnumValue: {
    render(op) {
      let sql = `ALTER TYPE ${qt(op.enum)} ADD VALUE ${op.ifNotExists === false ? "" : "IF NOT EXISTS "}${quoteLiteral(op.value)}`;
      if (op.before !== undefined) sql += ` BEFORE ${quoteLiteral(op.before)}`;
      else if (op.after !== undefined) sql += ` AFTER ${quoteLiteral(op.after)}`;
      return [sql];
    },
    // PostgreSQL cannot remove a value from an enum.
    reverse: () => undefined,
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.enum]),
  },
  dropEnum: {
    render: (op) => [`DROP TYPE ${op.ifExists ? "IF EXISTS " : ""}${qt(op.name)}${op.cascade ? " CASCADE" : ""}`],
    reverse: (op) => (op.existing ? [{ kind: "createEnum", name: op.name, values: op.existing.values }] : undefined),
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.name], { destructive: true }),
  },
  createPolicy: {
    render: (op) => [renderPolicy(op.name, op.table, op)],
    reverse: (op) => [{ kind: "dropPolicy", name: op.name, table: op.table, existing: policySpec(op) }],
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  dropPolicy: {
    render: (op) => [`DROP POLICY ${op.ifExists ? "IF EXISTS " : ""}${q(op.name)} ON ${qt(op.table)}`],
    reverse: (op) => (op.existing ? [{ kind: "createPolicy", name: op.name, table: op.table, ...op.existing }] : undefined),
    // Rows the policy let through are hidden, or shown, from then on: data access changes, none is lost.
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  enableRowLevelSecurity: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} ${op.force ? "FORCE" : "ENABLE"} ROW LEVEL SECURITY`],
    reverse: (op) => [{ kind: "disableRowLevelSecurity", table: op.table, ...(op.force ? { force: true } : {}) }],
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  disableRowLevelSecurity: {
    render: (op) => [`ALTER TABLE ${qt(op.table)} ${op.force ? "NO FORCE" : "DISABLE"} ROW LEVEL SECURITY`],
    reverse: (op) => [{ kind: "enableRowLevelSecurity", table: op.table, ...(op.force ? { force: true } : {}) }],
    facts: (op) => facts("ACCESS EXCLUSIVE", [op.table]),
  },
  createRole: {
    render: (op) => [`CREATE ROLE ${q(op.name)}${renderRoleOptions(op)}`],
    reverse: (op) => [{ kind: "dropRole", name: op.name, existing: roleOptions(op) }],
    facts: () => facts("NONE", []),
  },
  alterRole: {
    render: (op) => [`ALTER ROLE ${q(op.name)}${renderRoleOptions(op.to)}`],
    reverse: (op) => (op.existing ? [{ kind: "alterRole", name: op.name, to: op.existing, existing: op.to }] : undefined),
    facts: () => facts("NONE", []),
  },
  dropRole: {
    render: (op) => [`DROP ROLE ${op.ifExists ? "IF EXISTS " : ""}${q(op.name)}`],
    reverse: (op) => (op.existing ? [{ kind: "createRole", name: op.name, ...op.existing }] : undefined),
    facts: () => facts("NONE", [], { destructive: true }),
  },
};

function withoutKeys<T extends object>(obj: T, keys: string[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k) && v !== undefined) out[k] = v;
  return out as Partial<T>;
}

function definition<K extends OpKind>(op: OpOf<K>): OpDefinition<K> {
  const def = (definitions as unknown as Record<string, OpDefinition<K>>)[op.kind];
  if (!def) throw new Error(`Unknown op kind ${JSON.stringify(op.kind)}`);
  return def;
}

/** The SQL statements one op runs, without trailing semicolons. */
export function renderOp(op: Op): string[] {
  return definition(op).render(op as never);
}

/** The ops that undo `op`, or `undefined` when it cannot be undone. */
export function reverseOp(op: Op): Op[] | undefined {
  return definition(op).reverse(op as never);
}

/** Lock level, rewrite and destructiveness of one op. */
export function opFacts(op: Op): OpFacts {
  return definition(op).facts(op as never);
}

/** The ops that undo a list of ops (each reversed, in reverse order), or the first op that cannot be undone. */
export function reverseOps(ops: readonly Op[]): { ops: Op[] } | { irreversible: Op } {
  const out: Op[] = [];
  for (let i = ops.length - 1; i >= 0; i--) {
    const r = reverseOp(ops[i]);
    if (!r) return { irreversible: ops[i] };
    out.push(...r);
  }
  return { ops: out };
}

export const OP_KINDS = Object.keys(definitions) as OpKind[];
