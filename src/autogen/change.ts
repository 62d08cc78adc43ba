import type { Op } from "../ops/types.js";

/**
 * One step of a generated migration: an op for `upgrade()`, the ops that undo
 * it in `downgrade()`, and what a reviewer must read.
 */
export interface Change {
  readonly op: Op;
  /** The ops that undo `op`, run in `downgrade()`; default: `reverseOp(op)`. */
  readonly undo?: readonly Op[];
  /** Written as `// REVIEW: …` above the op. */
  readonly review?: readonly string[];
  /** Written commented out after the op: the steps a person must complete (a backfill, SET NOT NULL). */
  readonly todo?: readonly string[];
  /** Written as `// NOTE: …` in `downgrade()` where the undo would be: what the downgrade leaves in place, and why. */
  readonly downgradeNote?: readonly string[];
  /** Set on the creation of an index: what the safe form needs to build it CONCURRENTLY instead. */
  readonly index?: { readonly table: string; readonly name: string; readonly definition: string; readonly partitioned: boolean };
  /** One line for the terminal: `add column products.sku (text)`. */
  readonly summary: string;
}
