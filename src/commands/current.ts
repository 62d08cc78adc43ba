import { openProject, withDatabase, databaseExists, type CommonOptions } from "./context.js";
import { readApplied } from "../runner/version-table.js";
import { chainStatus, driftWarnings, type Drifted } from "./status.js";
import { SluiceError } from "../errors.js";

export interface CurrentOptions extends CommonOptions {
  /** Refuse (exit 2) when an applied migration's file changed since. */
  strict?: boolean;
}

export interface CurrentResult {
  /** The revision(s) the database is at; empty at base. */
  current: string[];
  /** The head on disk (several heads are joined by commas). */
  head: string | null;
  heads: string[];
  /** The next sequential revision number. */
  next: string;
  /** Revisions on disk not yet applied, in the order they would run. */
  pending: string[];
  /** Applied revisions whose file changed or is gone. */
  drifted: Drifted[];
  database: string;
}

/**
 * Where the database is, the head on disk, the next number and what is pending.
 *
 * @example
 * const { current, head, pending } = await current({ cwd: "./app" });
 */
export async function current(opts: CurrentOptions = {}): Promise<CurrentResult> {
  const project = await openProject(opts);
  const applied = databaseExists(project) ? await withDatabase(project, opts, (db) => readApplied(db)) : [];
  const status = chainStatus(project.chain, applied);
  for (const w of driftWarnings(status.drifted)) opts.log?.(w);
  if (opts.strict && status.drifted.length) {
    throw new SluiceError("checksum", `${status.drifted.length} applied migration(s) differ from their files (--strict).`, {
      hint: "Restore the files as they were applied, or write a new migration for the change.",
      details: { drifted: status.drifted },
    });
  }
  return { ...status, database: project.config.database.displayUrl };
}
