/**
 * Whether changing a column from one type to another rewrites the table.
 * PostgreSQL skips the rewrite when the old values are valid as they are
 * stored: varchar(n) → varchar(m ≥ n), varchar ↔ text, varchar(n) → varchar,
 * numeric(p, s) → numeric(q ≥ p, s) or unconstrained numeric. Any other change
 * (and any change to or from an unknown spelling) is taken to rewrite.
 *
 * Types are written as SQL or as format_type prints them: `character
 * varying(20)`, `varchar(20)`, `text`, `numeric(12,2)`.
 *
 * @example
 * typeChangeRewrites("character varying(15)", "varchar(20)"); // false
 * typeChangeRewrites("integer", "bigint");                    // true
 */
export function typeChangeRewrites(from: string, to: string): boolean {
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return true;
  if (b.base === "text") return !(a.base === "varchar" || a.base === "text");
  if (b.base === "varchar" && b.mods.length === 0) return !(a.base === "varchar" || a.base === "text");
  if (b.base === "varchar" && a.base === "varchar") return !(a.mods.length === 1 && b.mods[0] >= a.mods[0]);
  if (b.base === "numeric" && a.base === "numeric") {
    // More digits at the same scale keeps every value as stored.
    if (b.mods.length === 0) return false;
    return !(a.mods.length > 0 && b.mods[0] >= a.mods[0] && (b.mods[1] ?? 0) === (a.mods[1] ?? 0));
  }
  return true;
}

const BASES: Record<string, string> = { "character varying": "varchar", varchar: "varchar", text: "text", numeric: "numeric", decimal: "numeric" };

function parse(type: string): { base: string; mods: number[] } | null {
  const m = /^\s*(?:pg_catalog\.)?(character varying|varchar|text|numeric|decimal)\s*(?:\(\s*(\d+)(?:\s*,\s*(\d+))?\s*\))?\s*$/i.exec(type);
  if (!m) return null;
  return { base: BASES[m[1].toLowerCase()], mods: [m[2], m[3]].filter((x) => x !== undefined).map(Number) };
}
