import { SluiceError } from "../errors.js";
import type { Column, Index, Schema, Table } from "../schema/types.js";

/** A table or column rename, named as the database has it now. */
export interface Rename {
  readonly schema: string;
  readonly table: string;
  /** Absent for a table rename. */
  readonly column?: string;
  /** The new (bare) name. */
  readonly to: string;
}

/** A table or column that disappears while one of the same shape appears. */
export interface RenameCandidate {
  readonly kind: "table" | "column";
  /** The table (`sales.orders` outside public); for a column, the table it is in. */
  readonly table: string;
  /** Old and new name: tables as `table`, columns bare. */
  readonly from: string;
  readonly to: string;
}

const opName = (x: { schema: string; name: string }) => (x.schema === "public" ? x.name : `${x.schema}.${x.name}`);
const columnShape = (c: Column) => JSON.stringify([c.type, c.nullable, c.identity?.generation ?? null, c.generated?.expression ?? null]);
const tableShape = (t: Table) => JSON.stringify(t.columns.map((c) => [c.name, columnShape(c)]).sort());

/**
 * Parses `--rename` values: `products.sku=article_no` renames a column,
 * `products=articles` (or `sales.orders=invoices`) a table.
 */
export function parseRenames(values: readonly string[], current: Schema): Rename[] {
  return values.map((v) => {
    const m = /^([^=]+)=([^=.]+)$/.exec(v.trim());
    if (!m) throw new SluiceError("usage", `--rename ${v}: expected table.column=new_name or table=new_table.`);
    const [left, to] = [m[1], m[2]];
    const table = findTable(current, left);
    if (table) return { schema: table.schema, table: table.name, to };
    const dot = left.lastIndexOf(".");
    const owner = dot > 0 ? findTable(current, left.slice(0, dot)) : undefined;
    const column = left.slice(dot + 1);
    if (!owner || !owner.columns.some((c) => c.name === column)) {
      throw new SluiceError("usage", `--rename ${v}: the database has no table or column ${left}.`, { hint: "Name it as the database has it now: table.column=new_name or table=new_table." });
    }
    return { schema: owner.schema, table: owner.name, column, to };
  });
}

function findTable(s: Schema, name: string): Table | undefined {
  return s.tables.find((t) => opName(t) === name || `${t.schema}.${t.name}` === name);
}

/** Pairs of removed and added tables (and columns within a kept table) of identical shape, when the pairing is unambiguous. */
export function findRenameCandidates(a: Schema, b: Schema): RenameCandidate[] {
  const out: RenameCandidate[] = [];
  const bKeys = new Set(b.tables.map((t) => `${t.schema}.${t.name}`));
  const aKeys = new Set(a.tables.map((t) => `${t.schema}.${t.name}`));
  const gone = a.tables.filter((t) => !bKeys.has(`${t.schema}.${t.name}`));
  const fresh = b.tables.filter((t) => !aKeys.has(`${t.schema}.${t.name}`));
  for (const t of gone) {
    const matches = fresh.filter((n) => n.schema === t.schema && tableShape(n) === tableShape(t));
    const rivals = gone.filter((o) => o.schema === t.schema && tableShape(o) === tableShape(t));
    if (matches.length === 1 && rivals.length === 1) out.push({ kind: "table", table: opName(t), from: opName(t), to: opName(matches[0]) });
  }
  for (const bt of b.tables) {
    const at = a.tables.find((t) => t.schema === bt.schema && t.name === bt.name);
    if (!at) continue;
    const removed = at.columns.filter((c) => !bt.columns.some((x) => x.name === c.name));
    const added = bt.columns.filter((c) => !at.columns.some((x) => x.name === c.name));
    for (const c of removed) {
      const matches = added.filter((n) => columnShape(n) === columnShape(c));
      const rivals = removed.filter((o) => columnShape(o) === columnShape(c));
      if (matches.length === 1 && rivals.length === 1) out.push({ kind: "column", table: opName(bt), from: c.name, to: matches[0].name });
    }
  }
  return out;
}

/** The candidate as a Rename of the current schema. */
export function candidateRename(c: RenameCandidate, current: Schema): Rename {
  const t = findTable(current, c.table)!;
  return c.kind === "table" ? { schema: t.schema, table: t.name, to: c.to.split(".").pop()! } : { schema: t.schema, table: t.name, column: c.from, to: c.to };
}

/**
 * The current schema as it will be after the renames: names changed
 * everywhere they are referenced (keys, foreign keys, indexes, owned
 * sequences). SQL text (checks, predicates, expressions) is rewritten outside
 * string literals; where that misses, the object is dropped and created again.
 */
export function applyRenames(s: Schema, renames: readonly Rename[]): Schema {
  let out = s;
  for (const r of renames) out = r.column === undefined ? renameTable(out, r) : renameColumn(out, r);
  return out;
}

function renameTable(s: Schema, r: Rename): Schema {
  const is = (schema: string, table: string) => schema === r.schema && table === r.table;
  return {
    ...s,
    sequences: s.sequences.map((q) => (q.ownedBy && is(q.ownedBy.schema, q.ownedBy.table) ? { ...q, ownedBy: { ...q.ownedBy, table: r.to } } : q)),
    tables: s.tables
      .map((t) => ({
        ...(is(t.schema, t.name) ? { ...t, name: r.to } : t),
        foreignKeys: t.foreignKeys.map((f) => (is(f.references.schema, f.references.table) ? { ...f, references: { ...f.references, table: r.to } } : f)),
      }))
      .sort((x, y) => (x.schema + "\u0000" + x.name < y.schema + "\u0000" + y.name ? -1 : 1)),
  };
}

function renameColumn(s: Schema, r: Rename): Schema {
  const col = r.column!;
  const swap = (names: readonly string[]) => names.map((n) => (n === col ? r.to : n));
  const text = (sql: string) => replaceIdentifier(sql, col, r.to);
  const index = (i: Index): Index => ({
    ...i,
    columns: i.columns.map((k) => ("column" in k ? { column: k.column === col ? r.to : k.column } : { expression: text(k.expression) })),
    include: swap(i.include),
    where: i.where === null ? null : text(i.where),
    definition: text(i.definition),
  });
  return {
    ...s,
    sequences: s.sequences.map((q) =>
      q.ownedBy && q.ownedBy.schema === r.schema && q.ownedBy.table === r.table && q.ownedBy.column === col ? { ...q, ownedBy: { ...q.ownedBy, column: r.to } } : q,
    ),
    tables: s.tables.map((t) => {
      const here = t.schema === r.schema && t.name === r.table;
      const fks = t.foreignKeys.map((f) => {
        const refsHere = f.references.schema === r.schema && f.references.table === r.table;
        return {
          ...f,
          columns: here ? swap(f.columns) : f.columns,
          references: refsHere ? { ...f.references, columns: swap(f.references.columns) } : f.references,
        };
      });
      if (!here) return { ...t, foreignKeys: fks };
      return {
        ...t,
        columns: t.columns.map((c) => ({
          ...(c.name === col ? { ...c, name: r.to } : c),
          generated: c.generated ? { ...c.generated, expression: text(c.generated.expression) } : null,
        })),
        primaryKey: t.primaryKey ? { ...t.primaryKey, columns: swap(t.primaryKey.columns) } : null,
        foreignKeys: fks,
        uniques: t.uniques.map((u) => ({ ...u, columns: swap(u.columns), definition: text(u.definition) })),
        checks: t.checks.map((c) => ({ ...c, definition: text(c.definition) })),
        exclusions: t.exclusions.map((x) => ({ ...x, definition: text(x.definition) })),
        indexes: t.indexes.map(index),
      };
    }),
  };
}

/** Replaces an identifier (bare or quoted) outside string literals. */
function replaceIdentifier(sql: string, from: string, to: string): string {
  const quote = (n: string) => (/^[a-z_][a-z0-9_$]*$/.test(n) ? n : `"${n.replace(/"/g, '""')}"`);
  const parts = sql.split(/('(?:[^']|'')*')/);
  const pattern = /^[a-z_][a-z0-9_$]*$/.test(from)
    ? new RegExp(`(?<![\\w$."])${from}(?![\\w$"])|"${from}"`, "g")
    : new RegExp(`"${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/"/g, '""')}"`, "g");
  return parts.map((p, i) => (i % 2 === 1 ? p : p.replace(pattern, quote(to)))).join("");
}
