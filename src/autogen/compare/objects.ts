import type { ColumnSpec, CreateTableOp, ExistingConstraint, FkAction as OpFkAction, IdentityOptions, Op } from "../../ops/types.js";
import { quoteIdent, quoteLiteral } from "../../ops/quote.js";
import type { CheckConstraint, Column, ForeignKey, Index, Schema, Sequence, Table, UniqueConstraint, View } from "../../schema/types.js";
import { key, opName, sqlName } from "./names.js";

/*
 * Ops and SQL made from Schema objects, shared by the comparators (a dropped
 * table's undo restores the constraints, indexes and foreign keys the
 * constraint and foreign-key comparators would create).
 */

export function defaultPkName(table: string): string {
  return `${table.slice(0, 58)}_pkey`;
}

export const SERIAL_TYPES: Record<string, { type: string; max: string }> = {
  integer: { type: "serial", max: "2147483647" },
  bigint: { type: "bigserial", max: "9223372036854775807" },
  smallint: { type: "smallserial", max: "32767" },
};

/** Sequences owned by a column whose default takes from them with PostgreSQL's serial options. */
export function serialSequences(s: Schema): Set<string> {
  const out = new Set<string>();
  for (const q of s.sequences) {
    if (!q.ownedBy) continue;
    const t = s.tables.find((x) => x.schema === q.ownedBy!.schema && x.name === q.ownedBy!.table);
    const c = t?.columns.find((x) => x.name === q.ownedBy!.column);
    if (t && c && isSerial(c, q, t)) out.add(key(q));
  }
  return out;
}

export function isSerial(c: Column, q: Sequence, t: Table): boolean {
  const serial = SERIAL_TYPES[c.type];
  if (!serial || c.identity || c.default === null) return false;
  const name = q.schema === "public" && t.schema === "public" ? quoteIdent(q.name) : `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
  const expected = `nextval(${quoteLiteral(name)}::regclass)`;
  return (
    c.default === expected &&
    q.type === c.type &&
    q.start === "1" &&
    q.increment === "1" &&
    q.min === "1" &&
    q.max === serial.max &&
    q.cache === "1" &&
    !q.cycle
  );
}

export function columnSpec(t: Table, c: Column, s: Schema, serials: ReadonlySet<string>): ColumnSpec {
  const seq = s.sequences.find((q) => serials.has(key(q)) && q.ownedBy?.schema === t.schema && q.ownedBy.table === t.name && q.ownedBy.column === c.name);
  const serial = seq ? SERIAL_TYPES[c.type].type : undefined;
  const spec: { -readonly [K in keyof ColumnSpec]: ColumnSpec[K] } = { name: c.name, type: serial ?? c.type };
  if (!c.nullable) spec.nullable = false;
  if (c.default !== null && !serial) spec.serverDefault = c.default;
  if (c.identity) {
    spec.identity = c.identity.generation;
    const max = SERIAL_TYPES[c.type]?.max;
    const o: { -readonly [K in keyof IdentityOptions]: IdentityOptions[K] } = {};
    if (c.identity.start !== "1") o.start = c.identity.start;
    if (c.identity.increment !== "1") o.increment = c.identity.increment;
    if (c.identity.min !== "1") o.min = c.identity.min;
    if (max !== undefined && c.identity.max !== max) o.max = c.identity.max;
    if (c.identity.cache !== "1") o.cache = c.identity.cache;
    if (c.identity.cycle) o.cycle = true;
    if (Object.keys(o).length) spec.identityOptions = o;
  }
  if (c.generated) spec.generated = c.generated.expression;
  if (c.collation) spec.collation = c.collation.replace(/^"(.*)"$/, "$1").replace(/""/g, '"');
  return spec;
}

export function createSequence(s: Sequence): string {
  return `CREATE SEQUENCE ${sqlName(s)} AS ${s.type} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? " CYCLE" : ""}`;
}

export function alterSequence(a: Sequence, b: Sequence): string | undefined {
  const parts: string[] = [];
  if (a.type !== b.type) parts.push(`AS ${b.type}`);
  if (a.increment !== b.increment) parts.push(`INCREMENT BY ${b.increment}`);
  if (a.min !== b.min) parts.push(`MINVALUE ${b.min}`);
  if (a.max !== b.max) parts.push(`MAXVALUE ${b.max}`);
  if (a.start !== b.start) parts.push(`START WITH ${b.start}`);
  if (a.cache !== b.cache) parts.push(`CACHE ${b.cache}`);
  if (a.cycle !== b.cycle) parts.push(b.cycle ? "CYCLE" : "NO CYCLE");
  return parts.length ? `ALTER SEQUENCE ${sqlName(b)} ${parts.join(" ")}` : undefined;
}

export function ownedBy(s: Sequence, owner: Sequence["ownedBy"]): string {
  return `ALTER SEQUENCE ${sqlName(s)} OWNED BY ${owner ? `${sqlName({ schema: owner.schema, name: owner.table })}.${quoteIdent(owner.column)}` : "NONE"}`;
}

export const pkShape = (pk: Table["primaryKey"]) => (pk ? [pk.name, pk.columns, pk.deferrable, pk.initiallyDeferred] : null);
export const uniqueShape = (u: UniqueConstraint) => [u.columns, u.nullsNotDistinct, u.deferrable, u.initiallyDeferred];
export const checkShape = (c: CheckConstraint) => [c.definition, c.noInherit];
/** An index without its name and table (pg_get_indexdef from USING on), so a renamed table's index compares equal. */
export const indexShape = (i: Index) => [i.definition.slice(i.definition.indexOf(" USING ")), i.unique];
export const fkShape = (f: ForeignKey) => [f.columns, f.references, f.onDelete, f.onUpdate, f.match, f.deferrable, f.initiallyDeferred, f.validated];
export const viewShape = (v: View) => [v.definition, v.materialized, v.indexes.map((i) => [i.name, indexShape(i)])];

export function addConstraintSql(t: Table, name: string, definition: string): Op {
  return { kind: "execute", sql: `ALTER TABLE ${sqlName(t)} ADD CONSTRAINT ${quoteIdent(name)} ${definition}` };
}

export function dropConstraint(t: Table, name: string, recreate: Op): Op {
  const existing = existingOf(recreate);
  return { kind: "dropConstraint", name, table: opName(t), ...(existing ? { existing } : {}) };
}

/** The `existing` of a drop, when the op that recreates it is a structured one. */
export function existingOf(op: Op): ExistingConstraint | undefined {
  switch (op.kind) {
    case "createUniqueConstraint":
      return { type: "unique", columns: op.columns };
    case "createCheckConstraint":
      return { type: "check", expression: op.expression, ...(op.notValid ? { notValid: true } : {}) };
    case "createForeignKey": {
      const { kind: _k, name: _n, table: _t, allow: _a, ...body } = op;
      return { type: "foreignKey", ...body };
    }
    default:
      return undefined;
  }
}

export function createUnique(t: Table, u: UniqueConstraint): Op {
  if (u.nullsNotDistinct || u.deferrable) return addConstraintSql(t, u.name, u.definition);
  return { kind: "createUniqueConstraint", name: u.name, table: opName(t), columns: u.columns };
}

export function createCheck(t: Table, c: CheckConstraint): Op {
  const m = /^CHECK \((.*)\)( NOT VALID)?$/s.exec(c.definition);
  if (c.noInherit || !m) return addConstraintSql(t, c.name, c.definition);
  return { kind: "createCheckConstraint", name: c.name, table: opName(t), expression: m[1], ...(m[2] ? { notValid: true } : {}) };
}

/** The text between a balanced pair of outer parentheses, or the text itself. */
export function unwrap(text: string): string {
  if (!text.startsWith("(") || !text.endsWith(")")) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    if (depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1);
}

/** What pg_get_indexdef shows that createIndex cannot say: operator classes, ordering, collations, storage parameters. */
export function needsIndexSql(i: Index): boolean {
  if (i.nullsNotDistinct || / WITH \(| TABLESPACE | ON ONLY /.test(i.definition)) return true;
  const open = i.definition.indexOf("(", i.definition.indexOf(" USING "));
  let depth = 0;
  let end = open;
  for (; end < i.definition.length; end++) {
    if (i.definition[end] === "(") depth++;
    else if (i.definition[end] === ")" && --depth === 0) break;
  }
  return splitTopLevel(i.definition.slice(open + 1, end)).some((k, n) => {
    const text = k.trim();
    const c = i.columns[n];
    if (c && "column" in c) return text !== quoteIdent(c.column);
    // An expression key ends with its closing parenthesis unless an opclass, ordering or collation follows.
    return !text.endsWith(")");
  });
}

export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quote = !quote;
    if (quote) continue;
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

export function createIndex(t: Table, i: Index): Op {
  if (needsIndexSql(i)) return { kind: "execute", sql: i.definition };
  return {
    kind: "createIndex",
    name: i.name,
    table: opName(t),
    columns: i.columns.map((c) => ("column" in c ? c.column : { expression: unwrap(c.expression) })),
    ...(i.unique ? { unique: true } : {}),
    ...(i.method !== "btree" ? { method: i.method } : {}),
    ...(i.include.length ? { include: i.include } : {}),
    ...(i.where ? { where: unwrap(i.where) } : {}),
  };
}

export function dropIndex(t: Table, i: Index): Op {
  const name = t.schema === "public" ? i.name : `${t.schema}.${i.name}`;
  const create = createIndex(t, i);
  if (create.kind !== "createIndex") return { kind: "execute", sql: `DROP INDEX ${sqlName({ schema: t.schema, name: i.name })}` };
  const { kind: _k, name: _n, ...existing } = create;
  return { kind: "dropIndex", name, existing };
}

export const FK_ACTIONS: Record<ForeignKey["onDelete"], OpFkAction | undefined> = {
  "no action": undefined,
  restrict: "RESTRICT",
  cascade: "CASCADE",
  "set null": "SET NULL",
  "set default": "SET DEFAULT",
};

export function fkOp(t: Table, fk: ForeignKey): Op {
  if (fk.match !== "simple" || fk.initiallyDeferred) return addConstraintSql(t, fk.name, fk.definition);
  const onDelete = FK_ACTIONS[fk.onDelete];
  const onUpdate = FK_ACTIONS[fk.onUpdate];
  return {
    kind: "createForeignKey",
    name: fk.name,
    table: opName(t),
    columns: fk.columns,
    refTable: opName({ schema: fk.references.schema, name: fk.references.table }),
    refColumns: fk.references.columns,
    ...(onDelete ? { onDelete } : {}),
    ...(onUpdate ? { onUpdate } : {}),
    ...(fk.deferrable ? { deferrable: true } : {}),
    ...(!fk.validated ? { notValid: true } : {}),
  };
}

export function createView(v: View): Op[] {
  const ops: Op[] = [{ kind: "execute", sql: `CREATE ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)} AS\n${v.definition.replace(/;\s*$/, "")}` }];
  for (const i of v.indexes) ops.push({ kind: "execute", sql: i.definition });
  if (v.comment !== null) ops.push({ kind: "execute", sql: `COMMENT ON ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)} IS ${quoteLiteral(v.comment)}` });
  return ops;
}

/** Views ordered so each comes after the views it reads (name order otherwise). */
export function dependencyOrder(views: readonly View[]): View[] {
  const byKey = new Map(views.map((v) => [key(v), v]));
  const out: View[] = [];
  const seen = new Set<string>();
  const visit = (v: View) => {
    if (seen.has(key(v))) return;
    seen.add(key(v));
    for (const r of v.reads) {
      const dep = byKey.get(key(r));
      if (dep) visit(dep);
    }
    out.push(v);
  };
  views.forEach(visit);
  return out;
}

/** How format_type names an enum in the Schema: bare in public, qualified elsewhere. */

export function createTableOp(t: Table, s: Schema, serials: ReadonlySet<string>): CreateTableOp {
  const pk = t.primaryKey;
  return {
    kind: "createTable",
    table: opName(t),
    columns: t.columns.map((c) => columnSpec(t, c, s, serials)),
    ...(pk ? { primaryKey: pk.columns } : {}),
    ...(pk && pk.name !== defaultPkName(t.name) ? { primaryKeyName: pk.name } : {}),
  };
}

/** Comments of a dropped table, restored by its undo. */
export function tableCommentOps(t: Table): Op[] {
  const out: Op[] = [];
  if (t.comment !== null) out.push({ kind: "execute", sql: `COMMENT ON TABLE ${sqlName(t)} IS ${quoteLiteral(t.comment)}` });
  for (const c of t.columns) {
    if (c.comment !== null) out.push({ kind: "execute", sql: `COMMENT ON COLUMN ${sqlName(t)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}` });
  }
  return out;
}
