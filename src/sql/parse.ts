import { createRequire } from "node:module";
import type { ParseResult, Node } from "libpg-query";

type LibPgQuery = typeof import("libpg-query");
let lib: LibPgQuery | undefined;
let loading: Promise<LibPgQuery> | undefined;

/** Loads PostgreSQL's own parser (libpg_query, WASM) once per process; callers that overlap share one load. */
export function loadParser(): Promise<LibPgQuery> {
  loading ??= (async () => {
    // require, not import(): the package is CommonJS, and import() first scans it and
    // the type package it re-exports for export names (~25 ms of a command's start).
    const mod = createRequire(import.meta.url)("libpg-query") as LibPgQuery;
    await mod.loadModule();
    lib = mod;
    return mod;
  })();
  return loading;
}

export interface SqlStatement {
  /** The statement's text, without leading comments or the trailing semicolon. */
  readonly sql: string;
  /** 1-based line of the statement's first token, counted from `firstLine`. */
  readonly line: number;
  /** Comments and blank lines between the previous statement and this one. */
  readonly leading: string;
  /** The parse tree of the statement (one RawStmt's `stmt`). */
  readonly ast: Node;
  /** 0-based character offset of `sql` within the source text. */
  readonly offset: number;
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** 1-based line in the source text, counted from `firstLine`. */
    readonly line: number,
    /** 0-based character offset within the source text. */
    readonly offset: number,
  ) {
    super(message);
    this.name = "SqlSyntaxError";
  }
}

/**
 * Splits SQL into statements with PostgreSQL's parser (dollar quotes, string
 * literals and comments are handled as PostgreSQL handles them).
 * `firstLine` is the line the text starts on in its file.
 * Throws `SqlSyntaxError` when the text does not parse.
 */
export async function splitStatements(text: string, firstLine = 1): Promise<SqlStatement[]> {
  const parser = await loadParser();
  return splitWith(parser, text, firstLine);
}

/** The same as `splitStatements` once `loadParser()` has been awaited. */
export function splitStatementsSync(text: string, firstLine = 1): SqlStatement[] {
  if (!lib) throw new Error("splitStatementsSync called before loadParser()");
  return splitWith(lib, text, firstLine);
}

function splitWith(parser: LibPgQuery, text: string, firstLine: number): SqlStatement[] {
  let result: ParseResult;
  try {
    result = parser.parseSync(text);
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number; message?: string } }).sqlDetails;
    // The parser runs out of its WASM memory on very large texts and says only "No parse tree generated".
    if (!details && /no parse tree generated|program terminated/i.test((err as Error).message)) {
      const mb = (Buffer.byteLength(text) / 1024 / 1024).toFixed(1);
      throw new SqlSyntaxError(`${mb} MB of SQL is too large for PostgreSQL's parser in one piece (it ran out of memory); split it into several migrations`, firstLine, 0);
    }
    // libpg-query's cursorPosition is a 0-based byte offset (PostgreSQL's own error cursor is 1-based).
    const offset = byteToCharOffset(text, Math.max(0, details?.cursorPosition ?? 0));
    throw new SqlSyntaxError(details?.message ?? (err as Error).message, firstLine + countNewlines(text, 0, offset), offset);
  }
  const bytes = Buffer.from(text, "utf8");
  const ascii = bytes.length === text.length;
  const out: SqlStatement[] = [];
  // Lines are counted on from the previous statement, not from the start of the text each time.
  let counted = 0;
  let line = firstLine;
  for (const raw of result.stmts ?? []) {
    const startByte = raw.stmt_location ?? 0;
    const endByte = raw.stmt_len ? startByte + raw.stmt_len : bytes.length;
    const start = ascii ? startByte : byteToCharOffset(text, startByte);
    const end = ascii ? endByte : byteToCharOffset(text, endByte);
    const chunk = text.slice(start, end);
    const lead = leadingLength(chunk);
    const sql = chunk.slice(lead).trimEnd().replace(/;\s*$/, "");
    const offset = start + lead;
    if (!sql || !raw.stmt) continue;
    line += countNewlines(text, counted, offset);
    counted = offset;
    out.push({ sql, line, leading: chunk.slice(0, lead), ast: raw.stmt, offset });
  }
  return out;
}

/** Length of the whitespace and comments at the start of `s`. */
function leadingLength(s: string): number {
  let i = 0;
  for (;;) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (s.startsWith("--", i)) {
      const nl = s.indexOf("\n", i);
      i = nl < 0 ? s.length : nl + 1;
    } else if (s.startsWith("/*", i)) {
      const close = s.indexOf("*/", i + 2);
      i = close < 0 ? s.length : close + 2;
    } else return i;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function byteToCharOffset(text: string, byteOffset: number): number {
  return Buffer.from(text, "utf8").subarray(0, byteOffset).toString("utf8").length;
}

/** The kind of a parsed statement: `CreateStmt`, `AlterTableStmt`, `IndexStmt`, … */
export function statementKind(ast: Node): string {
  return Object.keys(ast)[0] ?? "";
}
