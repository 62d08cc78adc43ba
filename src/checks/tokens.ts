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
