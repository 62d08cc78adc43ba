import type { Migration, MigrationBody } from "../chain/files.js";
import { renderOp } from "../ops/definitions.js";
import { loadParser, splitStatementsSync, statementKind, SqlSyntaxError, type SqlStatement } from "../sql/parse.js";
import { splitEach } from "./split.js";
import { readAlterTableCommands, readStatementTable } from "./sql.js";
import { loadScanner, sqlComments } from "./tokens.js";
import { SQUAWK_ALIASES } from "./registry.js";
import { sourceLines } from "./source.js";
import type { CheckedMigration, CheckedStatement, Direction, SyntaxProblem } from "./types.js";

/**
 * Turns a migration into what the rules read: every statement it runs,
 * parsed by PostgreSQL's parser. Raw SQL is parsed as written; every other op
 * is rendered to the SQL the runner would send and parsed the same way, so one
 * set of rules covers `.ts` and `.sql` migrations alike.
 */
export async function prepareMigration(migration: Migration): Promise<CheckedMigration> {
  await loadParser();
  await loadScanner();
  const up = await migration.upgrade();
  const down = await migration.downgrade();
  const syntaxErrors: SyntaxProblem[] = [];
  const fileAllows = squawkFileAllows(migration, [up, down]);
  return {
    migration,
    upgrade: statementsOf(migration, "upgrade", up, syntaxErrors, fileAllows),
    downgrade: statementsOf(migration, "downgrade", down, syntaxErrors, fileAllows),
    upgradeOps: up.ops,
    downgradeOps: down.ops,
    upgradeLine: up.line,
    downgradeLine: down.line,
    syntaxErrors,
  };
}

function statementsOf(
  migration: Migration,
  direction: Direction,
  b: MigrationBody,
  syntaxErrors: SyntaxProblem[],
  fileAllows: Record<string, string>,
): CheckedStatement[] {
  const out: CheckedStatement[] = [];
  const callColumn = (line: number | undefined) => (line === undefined ? undefined : opCallColumn(migration, line));
  b.ops.forEach((op, opIndex) => {
    const opLine = b.lines?.[opIndex];
    let parsed: { s: SqlStatement; line: number | undefined; column: number | undefined; leading: string }[];
    if (op.kind === "execute") {
      // A `.sql` section knows its line; SQL passed to op.execute counts from the call.
      const first = op.line ?? opLine;
      // A `.sql` section's lines start at column 1, as do the later lines of a template literal;
      // the first line of op.execute's string is placed at the call.
      const column = (offset: number) => {
        if (first === undefined) return undefined;
        const lineStart = op.sql.lastIndexOf("\n", offset - 1) + 1;
        return op.line === undefined && lineStart === 0 ? callColumn(first) : offset - lineStart + 1;
      };
      const { statements, errors } = splitEach(op.sql, first ?? 1);
      for (const err of errors) syntaxErrors.push({ direction, line: first === undefined ? undefined : err.line, column: column(err.offset), message: err.message, opIndex });
      parsed = statements.map(({ statement, leading }) => ({ s: statement, line: first === undefined ? undefined : statement.line, column: column(statement.offset), leading }));
    } else {
      try {
        parsed = renderOp(op).flatMap((sql) => splitStatementsSync(sql, 1)).map((s) => ({ s, line: opLine, column: callColumn(opLine), leading: "" }));
      } catch (err) {
        if (!(err instanceof SqlSyntaxError)) throw err;
        // An op's own SQL fragment (a serverDefault, a where) broke the statement Sluice renders.
        syntaxErrors.push({ direction, line: opLine, column: callColumn(opLine), message: err.message, opIndex });
        return;
      }
    }
    for (const { s, line, column, leading } of parsed) {
      const kind = statementKind(s.ast);
      out.push({
        direction,
        index: out.length,
        sql: s.sql,
        ast: s.ast,
        kind,
        table: readStatementTable(s.ast, kind),
        commands: readAlterTableCommands(s.ast, kind),
        line,
        column,
        op,
        opIndex,
        allow: { ...fileAllows, ...commentAllows(leading), ...op.allow },
      });
    }
  });
  return out;
}

/** The column of an op call in a `.ts` migration: its line's first non-blank character. */
function opCallColumn(m: Migration, line: number): number | undefined {
  const text = sourceLines(m.absPath)[line - 1];
  if (text === undefined) return undefined;
  const at = text.search(/\S/);
  return at < 0 ? undefined : at + 1;
}

/**
 * `-- sluice:allow <rule> <reason>` lines in the comments above a statement.
 * These are comments, not SQL, so reading them line by line is safe.
 */
export function commentAllows(leading: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!leading.includes("sluice:allow") && !leading.includes("squawk-ignore")) return out;
  for (const raw of leading.split("\n")) {
    const m = /^\s*--\s*sluice:allow\s+([a-z0-9-]+)\s*(.*)$/.exec(raw);
    if (m) out[m[1]] = m[2].trim();
    const squawk = /^\s*--\s*squawk-ignore(?!-file)(\s.*)?$/.exec(raw);
    if (squawk) Object.assign(out, squawkAllows(squawk[1] ?? "", "squawk-ignore"));
  }
  return out;
}

/**
 * Squawk's acknowledgement (`-- squawk-ignore rule, rule`; no rule means all)
 * for the Sluice rules that catch the same hazards. Squawk asks no reason: the
 * comment itself, carried over from a Squawk-linted repository, is recorded as it.
 */
function squawkAllows(list: string, form: string): Record<string, string> {
  const out: Record<string, string> = {};
  const ids = list.split(/[\s,]+/).filter(Boolean);
  const named = ids.length ? ids : [...SQUAWK_ALIASES.keys()];
  for (const id of named) for (const rule of SQUAWK_ALIASES.get(id) ?? []) out[rule] ??= `acknowledged by -- ${form}${ids.length ? ` ${id}` : ""}`;
  return out;
}

/** `-- squawk-ignore-file [rules]` anywhere in a `.sql` migration's comments, or in the SQL of a `.ts` migration's op.execute. */
function squawkFileAllows(m: Migration, bodies: readonly MigrationBody[]): Record<string, string> {
  const texts = m.format === "sql" ? [sourceLines(m.absPath).join("\n")] : bodies.flatMap((b) => b.ops.flatMap((op) => (op.kind === "execute" ? [op.sql] : [])));
  const out: Record<string, string> = {};
  for (const text of texts) {
    if (!text.includes("squawk-ignore-file")) continue;
    for (const c of sqlComments(text)) {
      const hit = /^--\s*squawk-ignore-file(\s.*)?$/.exec(c.trim());
      if (hit) Object.assign(out, squawkAllows(hit[1] ?? "", "squawk-ignore-file"));
    }
  }
  return out;
}
