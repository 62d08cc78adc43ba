import type { Change } from "./change.js";

/**
 * The order changes run in. A comparator places each change it makes in one
 * of these phases; the ordering stage runs the phases in this order and keeps,
 * within a phase, the order the comparators produced (they run in the order
 * of compare/index.ts). Creates go schema → extension/role → enum/sequence →
 * table → column → constraint → foreign key → policy → view → comment; drops
 * run in reverse, before the creates: views before what they read, policies
 * and foreign keys before the columns and tables under them. An enum whose
 * values are removed or reordered is recreated between the drops and the
 * additions (columns leaving it change type before, in `dropColumns`).
 */
export const PHASES = [
  "schemas",
  "roles",
  "renames",
  "enums",
  "dropViews",
  "dropPolicies",
  "dropForeignKeys",
  "dropConstraints",
  "dropTables",
  "dropColumns",
  "recreateEnums",
  "createSequences",
  "createTables",
  "columns",
  "dropEnums",
  "createConstraints",
  "createForeignKeys",
  "createPolicies",
  "createViews",
  "comments",
] as const;
export type Phase = (typeof PHASES)[number];

/** A change and the phase it runs in. */
export interface Placed {
  readonly phase: Phase;
  readonly change: Change;
}

/** The changes sorted by phase, stable within a phase. */
export function orderChanges(placed: readonly Placed[]): Change[] {
  const byPhase = new Map<Phase, Change[]>(PHASES.map((p) => [p, []]));
  for (const p of placed) byPhase.get(p.phase)!.push(p.change);
  return PHASES.flatMap((p) => byPhase.get(p)!);
}
