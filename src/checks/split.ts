import { splitStatementsSync, SqlSyntaxError, type SqlStatement } from "../sql/parse.js";
import { semicolonEnds } from "./tokens.js";

export interface SplitStatement {
  readonly statement: SqlStatement;
  /** The text since the previous statement (or the previous unparsable one): its comments. */
  readonly leading: string;
}

/**
 * Splits raw SQL into parsed statements like `splitStatementsSync`, except
 * that a statement the parser rejects does not hide the others: the text is
 * cut at the semicolons PostgreSQL's scanner finds, each piece is parsed on its
 * own, and each piece that fails is one error with its own line. A piece that
 * fails only because it ends too early (`BEGIN ATOMIC … ; … END`) is parsed
 * again together with the next one.
 */
export function splitEach(text: string, firstLine: number): { statements: SplitStatement[]; errors: SqlSyntaxError[] } {
  try {
    const all = splitStatementsSync(text, firstLine);
    return { statements: all.map((s, i) => ({ statement: s, leading: text.slice(i ? all[i - 1].offset + all[i - 1].sql.length : 0, s.offset) })), errors: [] };
  } catch (err) {
    if (!(err instanceof SqlSyntaxError)) throw err;
    let ends: number[];
    try {
      ends = semicolonEnds(text);
    } catch {
      // The scanner itself fails (an unterminated string or comment): nothing can be split.
      return { statements: [], errors: [err] };
    }
    if (text.slice(ends[ends.length - 1] ?? 0).trim()) ends.push(text.length);
    return splitPieces(text, firstLine, ends);
  }
}

function splitPieces(text: string, firstLine: number, ends: number[]): { statements: SplitStatement[]; errors: SqlSyntaxError[] } {
  const statements: SplitStatement[] = [];
  const errors: SqlSyntaxError[] = [];
  let start = 0;
  let line = firstLine;
  for (let i = 0; i < ends.length; ) {
    let first: SqlSyntaxError | undefined;
    let parsed: { statements: SqlStatement[]; next: number } | undefined;
    for (let j = i; j < ends.length; j++) {
      try {
        parsed = { statements: splitStatementsSync(text.slice(start, ends[j]), line), next: j + 1 };
        break;
      } catch (err) {
        if (!(err instanceof SqlSyntaxError)) throw err;
        first ??= err;
        // Only a piece that ran out of input may continue past its semicolon.
        if (!/at end of input$/.test(err.message)) break;
      }
    }
    const next = parsed?.next ?? i + 1;
    let boundary = start;
    for (const s of parsed?.statements ?? []) {
      const statement = { ...s, offset: s.offset + start };
      statements.push({ statement, leading: text.slice(boundary, statement.offset) });
      boundary = statement.offset + statement.sql.length;
    }
    if (!parsed && first) errors.push(new SqlSyntaxError(first.message, first.line, first.offset + start));
    line += countNewlines(text.slice(start, ends[next - 1]));
    start = ends[next - 1];
    i = next;
  }
  return { statements, errors };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}
