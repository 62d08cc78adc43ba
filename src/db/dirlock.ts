import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseError } from "../errors.js";
import { processRuns, processStartTime } from "./processes.js";

/**
 * One state of a directory lock. The lock is a folder of numbered records; the
 * highest number is the current state, and every change (take, release, take
 * over) writes the next number with link(2), which fails when another process
 * wrote it first. That is the compare-and-swap: no refresh timer, so a holder
 * whose event loop is blocked by PGlite's synchronous work keeps its lock, and
 * no takeover guard that a process dying at the wrong moment could leave behind.
 */
interface LockRecord {
  readonly state: "held" | "free";
  readonly pid: number;
  /** The holder's start time, so a pid reused by another process is not taken for the holder. */
  readonly started?: string;
  readonly host: string;
  readonly token: string;
  readonly since: string;
}

interface Newest {
  readonly gen: number;
  /** Undefined when the record cannot be read as one (written by hand, or a full disk). */
  readonly record?: LockRecord;
}

export interface DirLockOptions {
  timeoutMs: number;
  /** Told once when this process waits for a live holder, and when it takes over from a dead one. */
  onWait?: (message: string) => void;
}

/** The folder beside `dir` that holds its lock records. */
export function dirLockPath(dir: string): string {
  return path.join(path.dirname(dir), `.${path.basename(dir)}.lock`);
}

/**
 * Holds an exclusive lock on `dir` for this process, waiting while another
 * live process holds it. A holder is alive while its pid runs with the start
 * time it recorded; a lock left by a dead process is taken over at once. A
 * lock taken on another host cannot be checked and counts as live.
 * Resolves to the function that releases it (also called at process exit).
 */
export async function acquireDirLock(dir: string, opts: DirLockOptions): Promise<() => void> {
  const lockDir = dirLockPath(dir);
  fs.mkdirSync(lockDir, { recursive: true });
  const me: LockRecord = {
    state: "held",
    pid: process.pid,
    started: processStartTime(process.pid),
    host: os.hostname(),
    token: crypto.randomBytes(8).toString("hex"),
    since: new Date().toISOString(),
  };
  const startedWaiting = Date.now();
  let warned = false;
  let delay = 25;
  for (;;) {
    const newest = readNewest(lockDir);
    const record = newest?.record;
    const verdict = newest === undefined || record?.state === "free" ? "free" : record === undefined ? "dead" : holderState(record);
    const holder = verdict === "free" ? undefined : record;
    if (verdict === "free" || verdict === "dead") {
      const gen = (newest?.gen ?? 0) + 1;
      if (writeRecord(lockDir, gen, me)) {
        if (isNewest(lockDir, gen)) {
          if (verdict === "dead") opts.onWait?.(tookOverMessage(dir, holder));
          prune(lockDir, gen);
          return releaser(lockDir, me);
        }
        // A record number freed by pruning was written from a stale reading: not ours.
        fs.rmSync(path.join(lockDir, String(gen)), { force: true });
      }
      continue;
    }
    const waited = Date.now() - startedWaiting;
    if (waited > opts.timeoutMs) throw timeoutError(dir, lockDir, holder!, verdict === "elsewhere", waited);
    if (!warned && waited > 2_000) {
      warned = true;
      opts.onWait?.(`Waiting for another sluice process (${describeHolder(holder!)}) to release the embedded database at ${dir} …`);
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

function releaser(lockDir: string, me: LockRecord): () => void {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    const newest = readNewest(lockDir);
    if (newest?.record?.token !== me.token) return;
    const gen = newest.gen + 1;
    if (writeRecord(lockDir, gen, { ...me, state: "free", since: new Date().toISOString() })) prune(lockDir, gen);
  };
  process.on("exit", release);
  return release;
}

/** Whether the recorded holder still runs: `elsewhere` when it runs on another host, where Sluice cannot look. */
function holderState(r: LockRecord): "alive" | "dead" | "elsewhere" {
  if (r.host !== os.hostname()) return "elsewhere";
  if (!processRuns(r.pid)) return "dead";
  if (r.started === undefined) return "alive";
  const now = processStartTime(r.pid);
  return now === undefined || now === r.started ? "alive" : "dead";
}

function readNewest(lockDir: string): Newest | undefined {
  // A record may be pruned between listing and reading; list again then.
  for (let attempt = 0; ; attempt++) {
    const gens = fs
      .readdirSync(lockDir)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
    if (gens.length === 0) return undefined;
    const gen = Math.max(...gens);
    let text: string;
    try {
      text = fs.readFileSync(path.join(lockDir, String(gen)), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && attempt < 100) continue;
      throw err;
    }
    return { gen, record: parseRecord(text) };
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const r = JSON.parse(text) as LockRecord;
    return (r.state === "held" || r.state === "free") && Number.isInteger(r.pid) && typeof r.host === "string" && typeof r.token === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

function isNewest(lockDir: string, gen: number): boolean {
  return readNewest(lockDir)?.gen === gen;
}

/** Writes record `gen` whole or not at all; false when another process wrote that number first. */
function writeRecord(lockDir: string, gen: number, record: LockRecord): boolean {
  const tmp = path.join(lockDir, `tmp-${record.token}-${gen}`);
  fs.writeFileSync(tmp, JSON.stringify(record) + "\n");
  try {
    fs.linkSync(tmp, path.join(lockDir, String(gen)));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Removes the records before `gen` (history), and temporary files a killed process left. */
function prune(lockDir: string, gen: number): void {
  for (const name of fs.readdirSync(lockDir)) {
    const file = path.join(lockDir, name);
    try {
      if (/^\d+$/.test(name) ? Number(name) < gen : name.startsWith("tmp-") && Date.now() - fs.statSync(file).mtimeMs > 60_000) fs.rmSync(file, { force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

function describeHolder(r: LockRecord): string {
  return r.host === os.hostname() ? `pid ${r.pid}` : `pid ${r.pid} on host ${r.host}`;
}

function tookOverMessage(dir: string, holder: LockRecord | undefined): string {
  const who = holder ? `pid ${holder.pid}, holding it since ${holder.since}` : "its lock record is unreadable";
  return `The previous holder of the embedded database at ${dir} died without releasing it (${who}); taking it over.`;
}

function timeoutError(dir: string, lockDir: string, holder: LockRecord, elsewhere: boolean, waited: number): DatabaseError {
  const message = `Another sluice process (${describeHolder(holder)}, since ${holder.since}) kept the embedded database at ${dir} busy for more than ${Math.round(waited / 1000)} s.`;
  const hint = elsewhere
    ? `The lock was taken on host ${holder.host}, where Sluice cannot tell whether pid ${holder.pid} still runs. If no sluice process there uses this database, remove ${lockDir}.`
    : `Wait for pid ${holder.pid} to finish, or stop it: its lock goes when it exits.`;
  return new DatabaseError("lock-timeout", message, { hint });
}
