import net from "node:net";
import type { Db, LockWait } from "./types.js";
import type { Client, QueryResult } from "pg";
import { pgErrorInfo } from "./types.js";
import { DatabaseError, SluiceError } from "../errors.js";
import { ENCODE_URL_HINT, redactText, redactUrl, rememberConnectionString } from "./url.js";

/** Opens one connection to a PostgreSQL server through node-postgres. */
export async function openPg(url: string): Promise<Db> {
  const { default: pg } = await import("pg");
  rememberConnectionString(url);
  const displayUrl = redactUrl(url);
  let client: InstanceType<typeof pg.Client>;
  try {
    client = new pg.Client({ connectionString: url, application_name: "sluice" });
  } catch (err) {
    // node-postgres parses the URL here: a malformed one is bad input, not a bug.
    throw new SluiceError("usage", `The database URL ${displayUrl} cannot be used: ${(err as Error).message}.`, { hint: ENCODE_URL_HINT });
  }
  // A dropped connection must not crash the process with an unhandled 'error' event.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw connectError(err, displayUrl);
  }
  // Statements sent and not yet answered: a cancel request is only sent while one runs.
  let inFlight = 0;
  const run = async (sql: string, params?: unknown[]): Promise<QueryResult | QueryResult[]> => {
    inFlight++;
    try {
      return await client.query(sql, params as unknown[] | undefined);
    } finally {
      inFlight--;
    }
  };
  let version: number | undefined;
  try {
    // A backend whose client is gone (killed) otherwise runs the rest of a script it was sent:
    // with the check interval it notices the closed socket within a second and rolls back (PG >= 14).
    const r = (await run(CONNECTION_SETUP)) as QueryResult;
    version = Math.floor(Number(r.rows[0].version_num) / 10000);
  } catch {
    // A server or pooler that refuses the setting still serves the run.
  }
  let lockWatch: Promise<Client | undefined> | undefined;
  const db: Db = {
    kind: "pg",
    displayUrl,
    async query<T>(sql: string, params?: unknown[]) {
      const r = (await run(sql, params)) as QueryResult;
      return { rows: r.rows as T[] };
    },
    async exec(sql: string) {
      // node-postgres answers a script of several statements with one result per statement.
      const r = await run(sql);
      return Array.isArray(r) ? r.flatMap((x) => x.rows) : r.rows;
    },
    async transaction(fn) {
      await run("BEGIN");
      try {
        const out = await fn(db);
        await run("COMMIT");
        return out;
      } catch (err) {
        await run("ROLLBACK").catch(() => {});
        throw err;
      }
    },
    async advisoryLock(key, timeoutMs, onWait) {
      const got = (await run("SELECT pg_try_advisory_lock($1::bigint) AS ok", [key.toString()])) as QueryResult;
      if (got.rows[0].ok) return;
      onWait?.();
      await run(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      try {
        await run("SELECT pg_advisory_lock($1::bigint)", [key.toString()]);
      } catch (err) {
        if (pgErrorInfo(err)?.code === "55P03") {
          throw new DatabaseError("lock-timeout", `Another sluice process held the migration lock for more than ${Math.round(timeoutMs / 1000)} s.`, {
            hint: "Wait for the other run to finish, or raise --lock-timeout.",
          });
        }
        throw err;
      } finally {
        await run("RESET lock_timeout").catch(() => {});
      }
    },
    async advisoryUnlock(key) {
      await run("SELECT pg_advisory_unlock($1::bigint)", [key.toString()]);
    },
    async serverVersion() {
      if (version === undefined) {
        const r = (await run("SHOW server_version_num")) as QueryResult;
        version = Math.floor(Number(r.rows[0].server_version_num) / 10000);
      }
      return version;
    },
    async cancel() {
      if (!inFlight) return;
      const { processID, secretKey } = client as unknown as { processID: number; secretKey: number };
      await sendCancelRequest(client.host, client.port, processID, secretKey);
    },
    watchLockWait() {
      const pid = (client as unknown as { processID: number }).processID;
      // One second connection for the life of this one, opened only when a round trip takes a while.
      const side = () =>
        (lockWatch ??= (async () => {
          const c = new pg.Client({ connectionString: url, application_name: "sluice lock watch" });
          c.on("error", () => {});
          try {
            await c.connect();
            return c;
          } catch {
            return undefined;
          }
        })());
      let last: LockWait | undefined;
      let stopped = false;
      let polling: Promise<void> | undefined;
      let timer: NodeJS.Timeout | undefined;
      const poll = async () => {
        const c = await side();
        if (!c || stopped) return;
        const r = await c.query(LOCK_WAIT_SQL, [pid]).catch(() => undefined);
        if (r?.rows.length) last = lockWaitOf(r.rows);
      };
      const schedule = (ms: number) => {
        timer = setTimeout(() => {
          polling = poll().finally(() => {
            if (!stopped) schedule(WATCH.everyMs);
          });
        }, ms);
        timer.unref();
      };
      schedule(WATCH.afterMs);
      return {
        async stop() {
          stopped = true;
          clearTimeout(timer);
          await polling;
          return last;
        },
      };
    },
    async close() {
      const side = await lockWatch;
      await side?.end().catch(() => {});
      await client.end().catch(() => {});
    },
  };
  return db;
}

const CONNECTION_SETUP = `SELECT current_setting('server_version_num') AS version_num,
  CASE WHEN current_setting('server_version_num')::int >= 140000 THEN set_config('client_connection_check_interval', '1000', false) END AS check_interval`;

/** When a round trip starts to be watched for lock waits, and how often. */
const WATCH = { afterMs: 200, everyMs: 250 };

/** What the watched backend waits for and who holds it (pg_blocking_pids), with each holder's session. */
const LOCK_WAIT_SQL = `SELECT w.locktype, w.mode, CASE WHEN w.relation IS NOT NULL THEN w.relation::regclass::text END AS relation,
  b.pid, b.state, b.query, b.application_name, extract(epoch FROM clock_timestamp() - b.xact_start)::int AS xact_seconds
FROM pg_locks w
CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)
JOIN pg_stat_activity b ON b.pid = bp.pid
WHERE w.pid = $1 AND NOT w.granted
ORDER BY b.xact_start NULLS LAST`;

function lockWaitOf(rows: Record<string, unknown>[]): LockWait {
  const first = rows[0];
  return {
    relation: (first.relation as string | null) ?? undefined,
    lockType: String(first.locktype),
    mode: String(first.mode),
    blockers: rows.map((r) => ({
      pid: Number(r.pid),
      state: String(r.state ?? "unknown"),
      query: shortQuery(String(r.query ?? "")),
      transactionSeconds: r.xact_seconds === null ? undefined : Number(r.xact_seconds),
      applicationName: (r.application_name as string) || undefined,
    })),
  };
}

/** Another session's query as Sluice may print it: one line, at most 200 characters, no password literal or URL password. */
function shortQuery(query: string): string {
  const one = redactText(query.replace(/\s+/g, " ").trim()).replace(/(password\s*=?\s*)'(?:[^']|'')*'/gi, "$1'***'");
  return one.length > 200 ? `${one.slice(0, 200)} …` : one;
}

/**
 * PostgreSQL's CancelRequest: 16 bytes on a new socket carrying the backend's
 * pid and secret key, no login; the server cancels that backend's running
 * statement and closes the socket.
 */
function sendCancelRequest(host: string, port: number, pid: number, secretKey: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = host.startsWith("/") ? net.connect(`${host}/.s.PGSQL.${port}`) : net.connect(port, host);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 3000);
    const message = Buffer.alloc(16);
    message.writeInt32BE(16, 0);
    message.writeInt32BE(80877102, 4);
    message.writeInt32BE(pid, 8);
    message.writeInt32BE(secretKey, 12);
    socket.on("connect", () => socket.end(message));
    socket.on("close", done);
    socket.on("error", done);
  });
}

function connectError(err: unknown, displayUrl: string): DatabaseError {
  const info = pgErrorInfo(err);
  const e = err as { code?: string; message?: string };
  if (info?.code === "28P01" || info?.code === "28000") {
    return new DatabaseError("auth", `The server at ${displayUrl} refused the login: ${redactText(info.message)}.`, {
      hint: "Check the user name and password in the URL (--url, DATABASE_URL or the config's `database`).",
    });
  }
  if (info?.code === "3D000") {
    return new DatabaseError("no-database", `${redactText(info.message)} (${displayUrl}).`, {
      hint: "Create the database first (createdb), or point --url at one that exists.",
    });
  }
  const reason = e.code && !info ? `${e.code}` : redactText(e.message ?? String(err));
  return new DatabaseError("connect", `Cannot connect to ${displayUrl}: ${reason}.`, {
    hint: "Is the server running and reachable? Check the host, port and database in the URL.",
  });
}
