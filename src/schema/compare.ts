import { quoteIdent } from "../ops/quote.js";
import { byText } from "./introspect.js";
import type { Index, Schema, SchemaDifference, Table, View } from "./types.js";

/**
 * Every way Schema `b` differs from Schema `a`; empty exactly when they are
 * equal. Objects are matched by schema and name, so a rename shows as one
 * object removed and another added.
 *
 * @example
 * const before = await introspect(db);
 * await db.exec("ALTER TABLE products ALTER COLUMN pim_id SET NOT NULL");
 * compareSchemas(before, await introspect(db)).map((d) => d.text);
 * // ["table products › column pim_id › nullable: true → false"]
 */
export function compareSchemas(a: Schema, b: Schema): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  const names = (list: readonly string[]) => list.map((name) => ({ name }));
  compareNamed(out, [], "schema", names(a.schemas), names(b.schemas), (x) => x.name, () => {});
  compareNamed(out, [], "extension", a.extensions, b.extensions, (x) => x.name, (path, x, y) => compareProperties(out, path, x, y));
  compareNamed(out, [], "enum", a.enums, b.enums, qualified, (path, x, y) => compareProperties(out, path, x, y));
  compareNamed(out, [], "sequence", a.sequences, b.sequences, qualified, (path, x, y) => compareProperties(out, path, x, y));
  compareNamed(out, [], "table", a.tables, b.tables, qualified, (path, x, y) => compareTables(out, path, x, y));
  compareNamed(out, [], "view", a.views, b.views, qualified, (path, x, y) => compareViews(out, path, x, y));
  compareNamed(out, [], "role", a.roles, b.roles, (x) => quoteIdent(x.name), (path, x, y) => compareProperties(out, path, x, y));
  return out;
}

type Path = readonly string[];

function compareTables(out: SchemaDifference[], path: Path, a: Table, b: Table): void {
  compareProperties(out, path, a, b, ["columns", "primaryKey", "foreignKeys", "uniques", "checks", "exclusions", "indexes", "policies"]);
  const byColumnName = (x: { name: string }) => quoteIdent(x.name);
  compareNamed(out, path, "column", a.columns, b.columns, byColumnName, (p, x, y) => compareProperties(out, p, x, y));
  // Column order matters to SELECT * and COPY; report it once, over the columns both sides have.
  const common = (from: Table, other: Table) => from.columns.map((c) => c.name).filter((n) => other.columns.some((c) => c.name === n));
  const [orderA, orderB] = [common(a, b), common(b, a)];
  if (orderA.join("\u0000") !== orderB.join("\u0000")) changed(out, path, "column order", orderA, orderB);

  const pk = (t: Table) => (t.primaryKey ? [t.primaryKey] : []);
  compareNamed(out, path, "primary key", pk(a), pk(b), () => "", (p, x, y) => compareProperties(out, p, x, y));
  const each = <T extends { name: string }>(kind: string, xs: readonly T[], ys: readonly T[]) =>
    compareNamed(out, path, kind, xs, ys, byColumnName, (p, x, y) => compareProperties(out, p, x, y));
  each("foreign key", a.foreignKeys, b.foreignKeys);
  each("unique", a.uniques, b.uniques);
  each("check", a.checks, b.checks);
  each("exclusion", a.exclusions, b.exclusions);
  each<Index>("index", a.indexes, b.indexes);
  each("policy", a.policies, b.policies);
}

function compareViews(out: SchemaDifference[], path: Path, a: View, b: View): void {
  compareProperties(out, path, a, b, ["indexes"]);
  compareNamed(out, path, "index", a.indexes, b.indexes, (x) => quoteIdent(x.name), (p, x, y) => compareProperties(out, p, x, y));
}

/** Matches two lists by key: reports what only one side has, and compares the rest with `inner`. */
function compareNamed<T>(
  out: SchemaDifference[],
  path: Path,
  kind: string,
  as: readonly T[],
  bs: readonly T[],
  key: (x: T) => string,
  inner: (path: Path, a: T, b: T) => void,
): void {
  const mapA = new Map(as.map((x) => [key(x), x]));
  const mapB = new Map(bs.map((x) => [key(x), x]));
  for (const k of [...new Set([...mapA.keys(), ...mapB.keys()])].sort(byText)) {
    const objectPath = [...path, k ? `${kind} ${k}` : kind];
    const [x, y] = [mapA.get(k), mapB.get(k)];
    if (x === undefined) out.push({ kind: "added", path: objectPath, to: y, text: `${objectPath.join(" › ")}: added` });
    else if (y === undefined) out.push({ kind: "removed", path: objectPath, from: x, text: `${objectPath.join(" › ")}: removed` });
    else inner(objectPath, x, y);
  }
}

/**
 * Reports each property that differs, except the `skip`ped ones (compared
 * elsewhere). `definition` repeats the other properties as SQL, so it is
 * reported only when nothing else explains the difference (an operator
 * class, an ordering, a collation).
 */
function compareProperties<T extends object>(out: SchemaDifference[], path: Path, a: T, b: T, skip: readonly string[] = []): void {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(ra), ...Object.keys(rb)])].filter((k) => !skip.includes(k) && k !== "name" && k !== "schema");
  const differing = keys.filter((k) => JSON.stringify(ra[k]) !== JSON.stringify(rb[k]));
  for (const k of differing) {
    if (k === "definition" && differing.length > 1) continue;
    changed(out, path, k, ra[k], rb[k]);
  }
}

function changed(out: SchemaDifference[], path: Path, property: string, from: unknown, to: unknown): void {
  out.push({ kind: "changed", path, property, from, to, text: `${path.join(" › ")} › ${property}: ${show(from)} → ${show(to)}` });
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "undefined";
  return text.replace(/\s+/g, " ").trim();
}

/** `products` in public, `app.bookings` elsewhere; quoted where SQL would need it. */
export function qualified(x: { schema: string; name: string }): string {
  return x.schema === "public" ? quoteIdent(x.name) : `${quoteIdent(x.schema)}.${quoteIdent(x.name)}`;
}
