import { openProject, withDatabase, databaseExists, type CommonOptions } from "./context.js";
import { readApplied } from "../runner/version-table.js";
import { resolveRevision } from "../chain/graph.js";
import { proveRevisions, type VerifyResult } from "../verify/verify.js";

export interface VerifyOptions extends CommonOptions {
  /** Revision ids or prefixes; default the pending ones. */
  revisions?: string[];
  /** Every revision from base. */
  all?: boolean;
  /** `target` for a scratch database on the target's server, or a postgres:// URL; default embedded PGlite. */
  shadowUrl?: string;
  /** Insert sample rows before each upgrade (default true; false is `--no-data`). */
  data?: boolean;
}

export interface VerifyCommandResult extends VerifyResult {
  /** Why these revisions were chosen. */
  selection: "named" | "all" | "pending" | "all (database not reachable)";
}

/**
 * Proves migrations on a shadow database — never the target: upgrade,
 * downgrade back to the exact prior schema, upgrade again, with the locks each
 * upgrade takes. `ok` is false (exit 1) when any difference or failure shows.
 *
 * @example
 * const r = await verify({ cwd: "./app", revisions: ["060"] });
 * if (!r.ok) console.log(r.revisions.flatMap((p) => p.downgradeDifferences));
 */
export async function verify(opts: VerifyOptions = {}): Promise<VerifyCommandResult> {
  const project = await openProject(opts);
  const { chain } = project;
  let revisions: string[];
  let selection: VerifyCommandResult["selection"];
  if (opts.revisions?.length) {
    revisions = opts.revisions.map((r) => resolveRevision(chain, r));
    selection = "named";
  } else if (opts.all) {
    revisions = chain.migrations.map((m) => m.revision);
    selection = "all";
  } else {
    try {
      const applied = databaseExists(project) ? await withDatabase(project, opts, readApplied) : [];
      const done = new Set(applied.map((a) => a.revision));
      revisions = chain.migrations.filter((m) => !done.has(m.revision)).map((m) => m.revision);
      selection = "pending";
    } catch (err) {
      if ((err as { exitCode?: number }).exitCode !== 3) throw err;
      opts.log?.("The database is not reachable; verifying every revision.");
      revisions = chain.migrations.map((m) => m.revision);
      selection = "all (database not reachable)";
    }
  }
  const result = await proveRevisions(project, revisions, { shadowUrl: opts.shadowUrl, data: opts.data ?? true, log: opts.log });
  return { ...result, selection };
}
