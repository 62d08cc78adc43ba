import type { ScanResult } from "libpg-query";
import { loadParser } from "../sql/parse.js";

type LibPgQuery = Awaited<ReturnType<typeof loadParser>>;
let lib: LibPgQuery | undefined;

/** Call once before `referencesClauses` (the checks engine does). */
export async function loadScanner(): Promise<void> {
  lib ??= await loadParser();
}

/** Character offsets just after each `;` that ends a statement, by PostgreSQL's scanner (semicolons in strings, dollar quotes and comments are not tokens). */
export function semicolonEnds(sql: string): number[] {
  if (!lib) throw new Error("semicolonEnds called before loadScanner()");
  const ascii = Buffer.byteLength(sql) === sql.length;
  const bytes = ascii ? undefined : Buffer.from(sql, "utf8");
  return (lib.scanSync(sql) as ScanResult).tokens
    .filter((t) => t.text === ";")
    .map((t) => (bytes ? bytes.subarray(0, t.end).toString("utf8").length : t.end));
}

export interface ReferencesClause {
  /** Whether the clause names ON DELETE explicitly. */
  readonly onDelete: boolean;
}

/**
 * The REFERENCES clauses of one statement, in order, from PostgreSQL's own
 * scanner: what the parse tree cannot say (an explicit `ON DELETE NO ACTION`
 * looks like no ON DELETE at all), the tokens can.
 */
export function referencesClauses(sql: string): ReferencesClause[] {
  if (!lib) throw new Error("referencesClauses called before loadScanner()");
  const tokens = (lib.scanSync(sql) as ScanResult).tokens.map((t) => t.text.toUpperCase());
  const out: ReferencesClause[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] !== "REFERENCES") continue;
    let depth = 0;
    let onDelete = false;
    for (let j = i + 1; j < tokens.length; j++) {
      const t = tokens[j];
      if (t === "(") depth++;
      else if (t === ")") {
        if (depth === 0) break;
        depth--;
      } else if (depth === 0 && (t === "," || t === "REFERENCES" || t === ";")) break;
      else if (depth === 0 && t === "ON" && tokens[j + 1] === "DELETE") onDelete = true;
    }
    out.push({ onDelete });
  }
  return out;
}

/** The text of every comment in `sql` (line and block comments), by PostgreSQL's scanner: a `--` inside a string is not one. */
export function sqlComments(sql: string): string[] {
  if (!lib) throw new Error("sqlComments called before loadScanner()");
  try {
    return (lib.scanSync(sql) as ScanResult).tokens.filter((t) => t.tokenName === "SQL_COMMENT" || t.tokenName === "C_COMMENT").map((t) => t.text);
  } catch {
    // Text the scanner cannot read (an unterminated quote) is reported by sql-syntax; it acknowledges nothing.
    return [];
  }
}

/** PostgreSQL's NAMEDATALEN - 1: the scanner cuts longer identifiers to this many bytes (so the parse tree holds the cut name). */
export const MAX_IDENTIFIER_BYTES = 63;

/** The identifiers in `sql` longer than 63 bytes, as the parse tree holds them (cut) → as written. */
export function longIdentifiers(sql: string): Map<string, string> {
  if (!lib) throw new Error("longIdentifiers called before loadScanner()");
  const out = new Map<string, string>();
  if (Buffer.byteLength(sql) <= MAX_IDENTIFIER_BYTES) return out;
  for (const t of (lib.scanSync(sql) as ScanResult).tokens) {
    if (t.tokenName !== "IDENT" || Buffer.byteLength(t.text) <= MAX_IDENTIFIER_BYTES) continue;
    const name = t.text.startsWith('"') ? t.text.slice(1, -1).replace(/""/g, '"') : t.text.toLowerCase();
    if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) continue;
    // The scanner cuts at a character boundary at or below the limit.
    let cut = Buffer.from(name).subarray(0, MAX_IDENTIFIER_BYTES).toString("utf8");
    if (cut.endsWith("\uFFFD")) cut = cut.slice(0, -1);
    out.set(cut, name);
  }
  return out;
}
