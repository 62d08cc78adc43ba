import { compareSchemas } from "../schema/compare.js";
import type { Schema, SchemaDifference } from "../schema/types.js";

/**
 * How a database differs from the model, as `compareSchemas` reports it,
 * less what a migration cannot or should not change: the physical order of
 * columns (PostgreSQL appends added columns and cannot reorder them) and
 * extensions the model does not mention (often installed by a DBA), or
 * their versions.
 */
export function modelDrift(current: Schema, desired: Schema): SchemaDifference[] {
  return compareSchemas(current, desired).filter((d) => {
    if (d.property === "column order") return false;
    const head = d.path[0] ?? "";
    if (head.startsWith("extension ") && (d.kind === "removed" || d.property === "version")) return false;
    return true;
  });
}
