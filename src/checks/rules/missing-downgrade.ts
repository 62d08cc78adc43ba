import type { Rule } from "../types.js";
import { declarationLine } from "../source.js";
import { body } from "../sql.js";

/**
 * Checklist 1: both directions present, and the downgrade undoes something
 * unless declared irreversible. A migration that only adds enum values needs
 * no downgrade: PostgreSQL cannot drop a value, and leaving it is the undo
 * (verify notes it).
 */
export const missingDowngrade: Rule = {
  id: "missing-downgrade",
  category: "checklist",
  severity: "error",
  summary: "The downgrade is empty and the migration does not declare itself irreversible with a reason.",
  check(m) {
    const upgradeDoesSomething = m.upgrade.length > 0 || m.syntaxErrors.some((e) => e.direction === "upgrade");
    const downgradeDoesSomething = m.downgrade.length > 0 || m.syntaxErrors.some((e) => e.direction === "downgrade");
    if (!upgradeDoesSomething || downgradeDoesSomething) return [];
    // Only enum values added: PostgreSQL cannot drop one, so an empty downgrade that leaves them is the undo.
    const addsValue = (s: (typeof m.upgrade)[number]) => {
      if (s.kind !== "AlterEnumStmt") return false;
      const b = body(s.ast, "AlterEnumStmt");
      return b.newVal !== undefined && b.oldVal === undefined;
    };
    if (m.upgrade.length > 0 && m.syntaxErrors.length === 0 && m.upgrade.every(addsValue)) return [];
    const line = m.downgradeLine ?? declarationLine(m.migration, "downgrade");
    const declared = m.migration.irreversible?.trim();
    const sql = m.migration.format === "sql";
    const declare = sql ? "`-- sluice:irreversible <reason>` in the header" : '`irreversible: "<reason>"` beside `revision`';
    if (declared && declared !== "true") return [];
    if (declared === "true") {
      return [{
        line: declarationLine(m.migration, "irreversible"),
        message: "The migration declares itself irreversible but gives no reason.",
        fix: `Say why it cannot be undone: ${declare}, e.g. "drops the legacy_orders data".`,
      }];
    }
    return [{
      line,
      message: `downgrade${sql ? " section" : "()"} is empty: rolling back past revision ${m.migration.revision} would silently leave its changes in place.`,
      fix: `Undo each upgrade step in reverse order in the downgrade, or, if it truly cannot be undone, declare ${declare}.`,
    }];
  },
};
