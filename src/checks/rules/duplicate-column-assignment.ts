import type { Report, Rule } from "../types.js";
import { body, type Json } from "../sql.js";

/** The names given more than once in a list. */
function repeated(names: readonly (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const n of names) if (n !== undefined) (seen.has(n) ? twice : seen).add(n);
  return [...twice];
}

/** A SET list's plain column names (an assignment to a field or element, `a.b = …`, `a[1] = …`, is left out). */
const setColumns = (targets: Json[] | undefined) => (targets ?? []).map((t: Json) => (t.ResTarget?.indirection?.length ? undefined : t.ResTarget?.name));

/** Correctness: PostgreSQL rejects a statement that assigns or declares one column twice, but only when it runs. */
export const duplicateColumnAssignment: Rule = {
  id: "duplicate-column-assignment",
  category: "correctness",
  severity: "error",
  summary: "One column assigned twice in an UPDATE (or an INSERT's ON CONFLICT … SET), listed twice in an INSERT, or declared twice in CREATE TABLE.",
  squawk: ["ban-duplicate-column-assignments"],
  check(m) {
    const out: Report[] = [];
    for (const s of [...m.upgrade, ...m.downgrade]) {
      const b = body(s.ast, s.kind);
      let names: (string | undefined)[] = [];
      let what = "";
      if (s.kind === "UpdateStmt") [names, what] = [setColumns(b.targetList), "assigned more than once in one UPDATE"];
      else if (s.kind === "InsertStmt") {
        const listed = repeated((b.cols ?? []).map((t: Json) => t.ResTarget?.name));
        if (listed.length) [names, what] = [(b.cols ?? []).map((t: Json) => t.ResTarget?.name), "listed more than once in the INSERT's columns"];
        else [names, what] = [setColumns(b.onConflictClause?.targetList), "assigned more than once in ON CONFLICT DO UPDATE"];
      } else if (s.kind === "CreateStmt") [names, what] = [(b.tableElts ?? []).map((e: Json) => e.ColumnDef?.colname), "declared more than once in CREATE TABLE"];
      const dup = repeated(names);
      if (!dup.length) continue;
      out.push({
        statement: s,
        message: `${s.direction}: ${dup.map((d) => `column ${d}`).join(", ")} ${dup.length === 1 ? "is" : "are"} ${what}: PostgreSQL refuses the statement when it runs (${s.kind === "CreateStmt" ? `column "${dup[0]}" specified more than once` : `multiple assignments to same column "${dup[0]}"`}).`,
        fix: `Keep one ${s.kind === "CreateStmt" ? "declaration" : "assignment"} of ${dup.join(", ")}.`,
      });
    }
    return out;
  },
};
