import type { Migration, MigrationBody } from "../chain/files.js";
import { renderOp } from "../ops/definitions.js";
import { loadParser, splitStatementsSync, statementKind, SqlSyntaxError, type SqlStatement } from "../sql/parse.js";
import { splitEach } from "./split.js";
import { readAlterTableCommands, readStatementTable } from "./sql.js";
import { loadScanner } from "./tokens.js";
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
  return {
    migration,
    upgrade: statementsOf("upgrade", up, syntaxErrors),
    downgrade: statementsOf("downgrade", down, syntaxErrors),
    upgradeOps: up.ops,
    downgradeOps: down.ops,
    upgradeLine: up.line,
    downgradeLine: down.line,
    syntaxErrors,
  };
}

function statementsOf(direction: Direction, b: MigrationBody, syntaxErrors: SyntaxProblem[]): CheckedStatement[] {
  const out: CheckedStatement[] = [];
  b.ops.forEach((op, opIndex) => {
    const opLine = b.lines?.[opIndex];
    let parsed: { s: SqlStatement; line: number | undefined; leading: string }[];
    if (op.kind === "execute") {
      // A `.sql` section knows its line; SQL passed to op.execute counts from the call.
      const first = op.line ?? opLine;
      const { statements, errors } = splitEach(op.sql, first ?? 1);
      for (const err of errors) syntaxErrors.push({ direction, line: first === undefined ? undefined : err.line, message: err.message, opIndex });
      parsed = statements.map(({ statement, leading }) => ({ s: statement, line: first === undefined ? undefined : statement.line, leading }));
    } else {
      try {
        parsed = renderOp(op).flatMap((sql) => splitStatementsSync(sql, 1)).map((s) => ({ s, line: opLine, leading: "" }));
      } catch (err) {
        if (!(err instanceof SqlSyntaxError)) throw err;
        // An op's own SQL fragment (a serverDefault, a where) broke the statement Sluice renders.
        syntaxErrors.push({ direction, line: opLine, message: err.message, opIndex });
        return;
      }
    }
    for (const { s, line, leading } of parsed) {
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
        op,
        opIndex,
        allow: op.allow ? { ...commentAllows(leading), ...op.allow } : commentAllows(leading),
      });
    }
  });
  return out;
}

/**
 * `-- sluice:allow <rule> <reason>` lines in the comments above a statement.
 * These are comments, not SQL, so reading them line by line is safe.
 */
export function commentAllows(leading: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!leading.includes("sluice:allow")) return out;
  for (const raw of leading.split("\n")) {
    const m = /^\s*--\s*sluice:allow\s+([a-z0-9-]+)\s*(.*)$/.exec(raw);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}
