import crypto from "node:crypto";
import os from "node:os";
import type { Db } from "../db/types.js";
import { processRuns } from "../db/processes.js";
import { quoteIdent, quoteLiteral } from "../ops/quote.js";

/**
 * Scratch databases Sluice creates on a server (verify's shadow, autogenerate's
 * model compile) are named `sluice_shadow_<unix time>_<pid>_<host hash>_<random>`:
 * the name itself says who made it and when, so a database left by a killed
 * run can be recognised as such, and nothing else ever is.
 */
const PREFIX = "sluice_shadow_";
const MARKED = /^sluice_shadow_(\d{10})_(\d{1,10})_([0-9a-f]{8})_[0-9a-f]{4}$/;

/** A creator on another host cannot be looked at; its database is stale only after this long. */
const OTHER_HOST_STALE_MS = 24 * 3_600_000;
/** verify and autogenerate drop a gone creator's database only after this long. */
export const AUTO_CLEAN_AFTER_MS = 3_600_000;

export interface ScratchDatabase {
  readonly name: string;
  /** Absent for a database with Sluice's prefix but not its marker (made by an older Sluice, or by hand). */
  readonly createdAt?: string;
  readonly pid?: number;
  /** The creator's host name, when it is this host or its comment says it. */
  readonly host?: string;
  readonly thisHost: boolean;
  /** `unknown` when the creator is on another host, or the database carries no marker. */
  readonly creator: "running" | "gone" | "unknown";
  /** Whether it can be dropped, and why (or why not). */
  readonly stale: boolean;
  readonly reason: string;
}

function hostHash(host = os.hostname()): string {
  return crypto.createHash("sha256").update(host).digest("hex").slice(0, 8);
}

/** A new scratch database's name, marked with this process and the time. */
export function scratchDatabaseName(now = Date.now()): string {
  return `${PREFIX}${Math.floor(now / 1000)}_${process.pid}_${hostHash()}_${crypto.randomBytes(2).toString("hex")}`;
}

/** The COMMENT that names the creator's host in full, for people listing databases. */
export function scratchDatabaseComment(name: string): string {
  return `COMMENT ON DATABASE ${quoteIdent(name)} IS ${quoteLiteral(`Sluice scratch database, created by pid ${process.pid} on host ${os.hostname()}; dropped when done, or by sluice clean`)}`;
}

/**
 * The databases on `admin`'s server that carry Sluice's scratch prefix, with
 * whether each is stale: its creator on this host is gone (and, for
 * `goneForMs`, it is at least that old), or it was made on another host more
 * than a day ago. A database with the prefix but no marker is listed, never stale.
 */
export async function listScratchDatabases(admin: Db, opts: { goneForMs?: number; now?: number } = {}): Promise<ScratchDatabase[]> {
  const now = opts.now ?? Date.now();
  const rows = await admin.query<{ name: string; comment: string | null }>(
    `SELECT datname AS name, shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname LIKE 'sluice\\_shadow\\_%' ORDER BY datname`,
  );
  return rows.rows.map((r) => judge(r.name, r.comment, now, opts.goneForMs ?? 0));
}

function judge(name: string, comment: string | null, now: number, goneForMs: number): ScratchDatabase {
  const m = MARKED.exec(name);
  if (!m) {
    return { name, thisHost: false, creator: "unknown", stale: false, reason: "named like a Sluice scratch database but without its creator's pid and time (an older Sluice's?): drop it by hand if nothing uses it" };
  }
  const created = Number(m[1]) * 1000;
  const pid = Number(m[2]);
  const thisHost = m[3] === hostHash();
  const host = thisHost ? os.hostname() : /on host (.*); dropped/.exec(comment ?? "")?.[1];
  const age = now - created;
  const base = { name, createdAt: new Date(created).toISOString(), pid, host, thisHost };
  const since = `created ${ago(age)} ago`;
  if (!thisHost) {
    const stale = age >= OTHER_HOST_STALE_MS;
    const where = host ? `host ${host}` : "another host";
    return { ...base, creator: "unknown", stale, reason: stale ? `made by pid ${pid} on ${where}, ${since}` : `made by pid ${pid} on ${where}, ${since}: whether it still runs cannot be told from here (dropped once a day old)` };
  }
  if (processRuns(pid)) return { ...base, creator: "running", stale: false, reason: `its creator, pid ${pid} on this host, still runs` };
  const stale = age >= goneForMs;
  return { ...base, creator: "gone", stale, reason: stale ? `its creator, pid ${pid} on this host, is gone (${since})` : `its creator, pid ${pid}, is gone, but it was ${since} (dropped after ${ago(goneForMs)})` };
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}

/** Drops one scratch database found by listScratchDatabases; refuses any other name. */
async function dropScratchDatabase(admin: Db, name: string): Promise<void> {
  if (!MARKED.test(name)) throw new Error(`${name} is not a Sluice scratch database`);
  await admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => admin.exec(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`));
}

export type DropOutcome = ScratchDatabase & { dropped: boolean; error?: string };

/** Drops the stale databases of `found`, saying of each whether it went. */
export async function dropStale(admin: Db, found: readonly ScratchDatabase[]): Promise<DropOutcome[]> {
  const out: DropOutcome[] = [];
  for (const d of found.filter((x) => x.stale)) {
    try {
      await dropScratchDatabase(admin, d.name);
      out.push({ ...d, dropped: true });
    } catch (err) {
      out.push({ ...d, dropped: false, error: (err as Error).message });
    }
  }
  return out;
}

/**
 * What verify and autogenerate do before creating a scratch database: drop the
 * stale ones they find (creator gone for an hour, or another host's a day old),
 * saying so. Best effort: a database that cannot be dropped is left to `sluice clean`.
 */
export async function dropStaleScratchDatabases(admin: Db, log?: (line: string) => void): Promise<void> {
  let found: ScratchDatabase[];
  try {
    found = await listScratchDatabases(admin, { goneForMs: AUTO_CLEAN_AFTER_MS });
  } catch {
    return;
  }
  for (const d of await dropStale(admin, found)) {
    log?.(d.dropped ? `Dropped the stale scratch database ${d.name}: ${d.reason}.` : `Could not drop the stale scratch database ${d.name} (${d.error}); \`sluice clean\` lists it.`);
  }
}
