/** The one small interface every part of Sluice talks to a database through. */
export interface Db {
  /** "pg" for a server, "pglite" for embedded PostgreSQL. */
  readonly kind: "pg" | "pglite";
  /** The URL with any password replaced by `***`: safe to print. */
  readonly displayUrl: string;
  /** One statement, optionally with $1-style parameters. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /**
   * One or more statements without parameters (simple query protocol). The
   * server stops at the first error. Resolves to the rows every statement
   * returned, in order.
   */
  exec(sql: string): Promise<Record<string, unknown>[]>;
  /** Runs `fn` inside BEGIN … COMMIT, rolling back when it throws. */
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /** Takes the session-level advisory lock `key`, waiting at most `timeoutMs`. */
  advisoryLock(key: bigint, timeoutMs: number, onWait?: () => void): Promise<void>;
  advisoryUnlock(key: bigint): Promise<void>;
  /** PostgreSQL's major version number, e.g. 15 or 18. */
  serverVersion(): Promise<number>;
  /**
   * Asks the server to cancel the statement this connection is running, if
   * one is (a server only: embedded PGlite runs in this process and cannot be
   * interrupted mid-statement).
   */
  cancel?(): Promise<void>;
  /**
   * Watches, from a second connection, which lock this connection's statement
   * waits for and which backends hold it, until `stop()`, which resolves to
   * the last wait seen (a server only).
   */
  watchLockWait?(): { stop(): Promise<LockWait | undefined> };
  close(): Promise<void>;
}

/** A lock a statement waited for, and the sessions that held it. */
export interface LockWait {
  /** The table (or other relation) when the lock is on one. */
  readonly relation?: string;
  readonly lockType: string;
  readonly mode: string;
  readonly blockers: readonly LockHolder[];
}

export interface LockHolder {
  readonly pid: number;
  /** pg_stat_activity.state: "active", "idle in transaction", … */
  readonly state: string;
  /** Its current or last query, shortened, with password literals masked. */
  readonly query: string;
  /** How long its transaction has been open, in seconds. */
  readonly transactionSeconds?: number;
  readonly applicationName?: string;
}

/** A PostgreSQL error as both drivers report it, in one shape. */
export interface PgErrorInfo {
  code?: string;
  message: string;
  position?: number;
  detail?: string;
  hint?: string;
}

export function pgErrorInfo(err: unknown): PgErrorInfo | undefined {
  if (!err || typeof err !== "object") return undefined;
  const e = err as Record<string, unknown>;
  if (typeof e.code !== "string" || !/^[0-9A-Z]{5}$/.test(e.code)) return undefined;
  const position = e.position === undefined ? undefined : Number(e.position);
  return {
    code: e.code,
    message: String(e.message ?? ""),
    position: Number.isFinite(position) ? position : undefined,
    detail: typeof e.detail === "string" ? e.detail : undefined,
    hint: typeof e.hint === "string" ? e.hint : undefined,
  };
}
