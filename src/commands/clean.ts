import { loadConfig } from "../config/config.js";
import { shadowServer } from "../verify/shadow.js";
import { dropStale, listScratchDatabases, type DropOutcome, type ScratchDatabase } from "../verify/scratch-databases.js";
import type { CommonOptions } from "./context.js";

export interface CleanOptions extends CommonOptions {
  /** The server to clean: `target` (the default: the project database's server) or a postgres:// URL, as for verify. */
  shadowUrl?: string;
  /** Only list what would be dropped. */
  dryRun?: boolean;
}

export interface CleanResult {
  /** The server looked at, safe to print; null for an embedded project without a server to look at. */
  server: string | null;
  dryRun: boolean;
  /** Scratch databases left by runs that are gone: dropped, or with dryRun, to be dropped. `error` when a drop failed. */
  stale: DropOutcome[];
  /** The other databases with Sluice's scratch prefix, and why each stays. */
  kept: ScratchDatabase[];
}

/**
 * Lists the scratch databases `verify --shadow-url` and autogenerate create on
 * a server, and drops those whose creator is gone (a run killed with kill -9
 * or Ctrl-C). Only databases named with Sluice's scratch prefix and creator
 * marker are ever dropped; one whose creator runs on another host is dropped
 * once it is a day old.
 *
 * @example
 * const r = await clean({ cwd: "./app", dryRun: true });
 * console.log(r.stale.map((d) => `${d.name}: ${d.reason}`));
 */
export async function clean(opts: CleanOptions = {}): Promise<CleanResult> {
  const config = await loadConfig({ cwd: opts.cwd, configPath: opts.config, url: opts.url });
  const server = shadowServer(config.database, opts.shadowUrl ?? "target");
  const dryRun = !!opts.dryRun;
  if (!server) return { server: null, dryRun, stale: [], kept: [] };
  const { openPg } = await import("../db/pg.js");
  const admin = await openPg(server);
  try {
    const found = await listScratchDatabases(admin);
    const stale = dryRun ? found.filter((d) => d.stale).map((d) => ({ ...d, dropped: false })) : await dropStale(admin, found);
    return { server: admin.displayUrl, dryRun, stale, kept: found.filter((x) => !x.stale) };
  } finally {
    await admin.close();
  }
}
