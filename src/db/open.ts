import type { Db } from "./types.js";
import type { DatabaseTarget } from "./url.js";

export interface OpenOptions {
  /** Told when the command has to wait for another process (embedded data directory). */
  onWait?: (message: string) => void;
  lockTimeoutMs?: number;
}

/** Connects to a server or opens embedded PGlite, loading only the driver it needs. */
export async function openDatabase(target: DatabaseTarget, opts: OpenOptions = {}): Promise<Db> {
  if (target.kind === "pg") {
    const { openPg } = await import("./pg.js");
    return openPg(target.url);
  }
  const { openPglite } = await import("./pglite.js");
  return openPglite(target.dataDir, opts);
}
