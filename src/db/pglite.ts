import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "./types.js";
import { DatabaseError } from "../errors.js";
import { acquireDirLock } from "./dirlock.js";

type PGliteT = import("@electric-sql/pglite").PGlite;

export interface PgliteOptions {
  /** Told when another process holds the data directory and this one waits, or takes over from a holder that died. */
  onWait?: (message: string) => void;
  /** How long to wait for another process to release the data directory. */
  lockTimeoutMs?: number;
  /**
   * Extensions (by their SQL name, `uuid-ossp`) to load into an in-memory
   * database, so `CREATE EXTENSION` finds them; each must be one PGlite ships
   * (see `pgliteLacks`). PGlite takes them at construction only.
   */
  extensions?: readonly string[];
}

/**
 * The contrib modules this PGlite ships as loadable extensions
 * (`@electric-sql/pglite/contrib/<module>`), by SQL name. plpgsql is built in.
 * No PGlite build of pgvector ships with this version.
 */
const CONTRIB = [
  "amcheck", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dict_int", "dict_xsyn", "earthdistance", "file_fdw", "fuzzystrmatch",
  "hstore", "intarray", "isn", "lo", "ltree", "moddatetime", "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_stat_statements",
  "pg_surgery", "pg_trgm", "pg_visibility", "pg_walinspect", "pgcrypto", "seg", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time",
  "unaccent", "uuid-ossp",
];
const BUILT_IN = new Set(["plpgsql"]);

/** Of the extensions named, those embedded PGlite cannot create. */
export function pgliteLacks(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => !BUILT_IN.has(n) && !CONTRIB.includes(n)).sort();
}

async function loadExtensions(names: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(names)) {
    if (BUILT_IN.has(name)) continue;
    if (!CONTRIB.includes(name)) throw new Error(`embedded PGlite does not ship the extension ${name}`);
    const module = name.replace(/-/g, "_");
    const mod = (await import(`@electric-sql/pglite/contrib/${module}`)) as Record<string, unknown>;
    out[module] = mod[module];
  }
  return out;
}

/**
 * Opens embedded PostgreSQL. A data directory is locked for this process
 * (PGlite is one process's database: two writers corrupt it); `null` opens a
 * private in-memory database started from a cached initialized snapshot, so
 * initdb is paid once per machine, not per database.
 */
export async function openPglite(dataDir: string | null, opts: PgliteOptions = {}): Promise<Db> {
  const { PGlite } = await import("@electric-sql/pglite");
  let release: (() => void) | undefined;
  let pg: PGliteT;
  if (dataDir === null) {
    const template = await initializedTemplate();
    pg = new PGlite({ loadDataDir: template, extensions: (await loadExtensions(opts.extensions ?? [])) as never });
  } else {
    // The lock comes first: a new directory is initialized by its holder alone.
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    release = await acquireDirLock(dataDir, { timeoutMs: opts.lockTimeoutMs ?? 10 * 60_000, onWait: opts.onWait });
    try {
      await initializeDataDir(dataDir);
      pg = new PGlite(dataDir, { extensions: (await loadExtensions(opts.extensions ?? [])) as never });
      await pg.waitReady;
    } catch (err) {
      release();
      throw new DatabaseError("pglite-open", `Cannot open the embedded database at ${dataDir}: ${(err as Error).message}`, {
        hint: "If the directory is not a PGlite data directory, point the URL elsewhere (pglite:<dir>) or remove it.",
      });
    }
  }
  await pg.waitReady;
  return wrapPglite(pg, dataDir === null ? "pglite:memory" : `pglite:${dataDir}`, release);
}

/**
 * Runs initdb for a data directory that does not exist yet (or is empty) in a
 * folder beside it, renamed into place when complete: a process killed during
 * the seconds initdb takes leaves no half-initialized database behind.
 * Called under the directory lock.
 */
async function initializeDataDir(dataDir: string): Promise<void> {
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return;
  // A folder with other files is not Sluice's to replace; PGlite says what is wrong with it.
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) return;
  const parent = path.dirname(dataDir);
  const prefix = `.${path.basename(dataDir)}.init-`;
  // Left by a holder killed during initdb (this process holds the lock now).
  for (const name of fs.readdirSync(parent)) if (name.startsWith(prefix)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  const staging = path.join(parent, `${prefix}${process.pid}`);
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = new PGlite(staging);
  await pg.waitReady;
  await pg.close();
  if (fs.existsSync(dataDir)) fs.rmdirSync(dataDir);
  fs.renameSync(staging, dataDir);
}

export function wrapPglite(pg: PGliteT, displayUrl: string, release?: () => void): Db {
  let closed = false;
  const db: Db = {
    kind: "pglite",
    displayUrl,
    async query<T>(sql: string, params?: unknown[]) {
      const r = await pg.query<T>(sql, params as unknown[] | undefined);
      return { rows: r.rows };
    },
    async exec(sql: string) {
      return (await pg.exec(sql)).flatMap((r) => r.rows as Record<string, unknown>[]);
    },
    async transaction(fn) {
      await pg.exec("BEGIN");
      try {
        const out = await fn(db);
        await pg.exec("COMMIT");
        return out;
      } catch (err) {
        await pg.exec("ROLLBACK").catch(() => {});
        throw err;
      }
    },
    // One process owns the data directory (see the directory lock), so the
    // advisory lock only has to exist for symmetry with the server driver.
    async advisoryLock(key) {
      await pg.query("SELECT pg_advisory_lock($1::bigint)", [key.toString()]);
    },
    async advisoryUnlock(key) {
      await pg.query("SELECT pg_advisory_unlock($1::bigint)", [key.toString()]);
    },
    async serverVersion() {
      const r = await pg.query<{ v: string }>("SHOW server_version_num");
      return Math.floor(Number((r.rows[0] as { server_version_num?: string }).server_version_num ?? 0) / 10000);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pg.close();
      } finally {
        release?.();
      }
    },
  };
  return db;
}

let templatePromise: Promise<Blob> | undefined;

/** A dump of a freshly initialized PGlite data directory, cached on disk per PGlite version. */
export function initializedTemplate(): Promise<Blob> {
  templatePromise ??= (async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const version = pgliteVersion();
    const dir = process.env.SLUICE_CACHE_DIR ?? path.join(os.tmpdir(), "sluice-cache");
    const file = path.join(dir, `pglite-${version}-template.tar`);
    if (fs.existsSync(file)) {
      return new Blob([fs.readFileSync(file)]);
    }
    const pg = new PGlite();
    await pg.waitReady;
    const dump = await pg.dumpDataDir("none");
    await pg.close();
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(tmp, file);
    return dump;
  })();
  return templatePromise;
}

function pgliteVersion(): string {
  try {
    const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
    const pkg = path.join(path.dirname(entry), "..", "package.json");
    return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
