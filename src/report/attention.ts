import type { ForeignKey, Index, SchemaDifference, Table, UniqueConstraint } from "../schema/types.js";

/** A schema change a reviewer should look at twice: new delete behaviour, new uniqueness. */
export interface AttentionItem {
  readonly kind: "foreign-key" | "unique";
  /** `products › foreign key products_parent_id_fkey`. */
  readonly object: string;
  readonly text: string;
}

const tableOf = (path: readonly string[]) => path[0]?.replace(/^table /, "") ?? "?";

function onDeleteEffect(fk: ForeignKey, table: string): string {
  const parent = fk.references.table;
  switch (fk.onDelete) {
    case "cascade":
      return `deleting a ${parent} row now deletes its ${table} rows`;
    case "set null":
      return `deleting a ${parent} row now sets ${table}.${fk.columns.join(", ")} to NULL`;
    case "set default":
      return `deleting a ${parent} row now resets ${table}.${fk.columns.join(", ")} to its default`;
    default:
      return `deleting a ${parent} row is now refused while ${table} rows point at it`;
  }
}

/**
 * Foreign key and unique constraint changes between two snapshots that need
 * attention: new or changed ON DELETE behaviour, and new uniqueness that
 * inserts and updates can now violate.
 */
export function attentionItems(changes: readonly SchemaDifference[]): AttentionItem[] {
  const out: AttentionItem[] = [];
  for (const d of [...changes, ...newTableParts(changes)]) {
    const last = d.path[d.path.length - 1] ?? "";
    const table = tableOf(d.path);
    const object = d.path.join(" › ");
    if (last.startsWith("foreign key ") && d.kind === "added") {
      const fk = d.to as ForeignKey;
      out.push({ kind: "foreign-key", object, text: `new foreign key ${fk.name} on ${table} (${fk.columns.join(", ")}) → ${fk.references.table} (${fk.references.columns.join(", ")}), ON DELETE ${fk.onDelete.toUpperCase()}: ${onDeleteEffect(fk, table)}` });
    } else if (last.startsWith("foreign key ") && d.kind === "changed" && (d.property === "onDelete" || d.property === "onUpdate")) {
      out.push({ kind: "foreign-key", object, text: `${last} on ${table}: ${d.property === "onDelete" ? "ON DELETE" : "ON UPDATE"} changes from ${String(d.from).toUpperCase()} to ${String(d.to).toUpperCase()}` });
    } else if (last.startsWith("unique ") && d.kind === "added") {
      const u = d.to as UniqueConstraint;
      out.push({ kind: "unique", object, text: `new unique constraint ${u.name} on ${table} (${u.columns.join(", ")}): an insert or update that repeats (${u.columns.join(", ")}) now fails` });
    } else if (last.startsWith("index ") && d.kind === "added" && (d.to as Index).unique) {
      const i = d.to as Index;
      const cols = i.columns.map((c) => ("column" in c ? c.column : c.expression)).join(", ");
      out.push({ kind: "unique", object, text: `new unique index ${i.name} on ${table} (${cols})${i.where ? ` WHERE ${i.where}` : ""}: an insert or update that repeats (${cols})${i.where ? " among those rows" : ""} now fails` });
    } else if (last.startsWith("index ") && d.kind === "changed" && d.property === "unique" && d.to === true) {
      out.push({ kind: "unique", object, text: `${last} on ${table} becomes unique: duplicates now fail` });
    }
  }
  return out;
}

/** A new table's foreign keys and unique constraints, as if each had been added on its own. */
function newTableParts(changes: readonly SchemaDifference[]): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  for (const d of changes) {
    if (d.kind !== "added" || d.path.length !== 1 || !d.path[0].startsWith("table ")) continue;
    const t = d.to as Table;
    const part = (kind: string, x: { name: string }) => ({ kind: "added" as const, path: [d.path[0], `${kind} ${x.name}`], to: x, text: "" });
    for (const fk of t.foreignKeys) out.push(part("foreign key", fk));
    for (const u of t.uniques) out.push(part("unique", u));
    for (const i of t.indexes) if (i.unique) out.push(part("index", i));
  }
  return out;
}
