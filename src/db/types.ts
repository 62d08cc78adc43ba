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
  close(): Promise<void>;
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
