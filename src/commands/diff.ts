import { compareWithModel, type ModelComparisonOptions } from "./autogenerate.js";
import { diffSchemas } from "../autogen/compare/index.js";
import { modelDrift } from "../autogen/drift.js";
import type { SchemaDifference } from "../schema/types.js";

export type DiffCommandOptions = ModelComparisonOptions;

export interface DiffCommandResult {
  /** True when the database (or the chain) differs from the model. */
  readonly drift: boolean;
  readonly model: string;
  /** What was compared with the model, safe to print. */
  readonly current: string;
  /** Every difference, database → model: `table products › column sku: added`. */
  readonly differences: readonly SchemaDifference[];
  /** The changes `sluice revision --autogenerate` would write for them. */
  readonly changes: readonly string[];
  /** What the model declares that Sluice does not manage: named, never compared, never dropped (`policy p on public.t`). */
  readonly notManaged: readonly string[];
  /** The drizzle-kit version that compiled a Drizzle model (absent for schema.sql). */
  readonly drizzleKit?: string;
}

/**
 * `sluice diff`: drift between the model and the database (or, with
 * `fromChain`, the chain). The CLI exits 1 when there is any.
 *
 * @example
 * const { drift, differences } = await diff({ cwd: "./app" });
 * if (drift) console.log(differences.map((d) => d.text).join("\n"));
 */
export async function diff(opts: DiffCommandOptions = {}): Promise<DiffCommandResult> {
  const cmp = await compareWithModel(opts);
  const differences = modelDrift(cmp.current, cmp.desired);
  const changes = differences.length ? diffSchemas(cmp.current, cmp.desired).changes.map((c) => c.summary) : [];
  return { drift: differences.length > 0, model: cmp.model.file, current: cmp.currentSource, differences, changes, notManaged: cmp.model.notManaged, drizzleKit: cmp.model.drizzleKit };
}
