import type { Report, Rule } from "../types.js";
import { body, fixFor, nameList } from "../sql.js";

/** Checklist 6: enum additions use IF NOT EXISTS, so a re-run (or a value added by hand) does not fail. */
export const enumValueNotIdempotent: Rule = {
  id: "enum-value-not-idempotent",
  category: "checklist",
  severity: "error",
  summary: "ALTER TYPE … ADD VALUE without IF NOT EXISTS.",
  check(m) {
    const out: Report[] = [];
    for (const s of [...m.upgrade, ...m.downgrade]) {
      if (s.kind !== "AlterEnumStmt") continue;
      const b = body(s.ast, "AlterEnumStmt");
      if (b.newVal === undefined || b.oldVal !== undefined || b.skipIfNewValExists) continue;
      out.push({
        statement: s,
        message: `ALTER TYPE ${nameList(b.typeName)} ADD VALUE '${b.newVal}' fails if the value already exists (a re-run, or a database patched by hand).`,
        fix: fixFor(s, {
          op: "Drop `ifNotExists: false` from op.addEnumValue (IF NOT EXISTS is its default).",
          sql: `Write ALTER TYPE ${nameList(b.typeName)} ADD VALUE IF NOT EXISTS '${b.newVal}'.`,
        }),
      });
    }
    return out;
  },
};
