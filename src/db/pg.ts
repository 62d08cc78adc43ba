import type { Db } from "./types.js";
import type { QueryResult } from "pg";
import { pgErrorInfo } from "./types.js";
import { DatabaseError } from "../errors.js";
import { redactText, redactUrl } from "./url.js";

/** Opens one connection to a PostgreSQL server through node-postgres. */
export async function openPg(url: string): Promise<Db> {
  const { default: pg } = await import("pg");
  const displayUrl = redactUrl(url);
  const password = safePassword(url);
  const client = new pg.Client({ connectionString: url, application_name: "sluice" });
  // A dropped connection must not crash the process with an unhandled 'error' event.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (err) {
    throw connectError(err, displayUrl, password);
  }
  let version: number | undefined;
  const db: Db = {
    kind: "pg",
    displayUrl,
    async query<T>(sql: string, params?: unknown[]) {
      const r = await client.query(sql, params as unknown[] | undefined);
      return { rows: r.rows as T[] };
    },
    async exec(sql: string) {
      // node-postgres answers a script of several statements with one result per statement.
      const r: QueryResult | QueryResult[] = await client.query(sql);
      return Array.isArray(r) ? r.flatMap((x) => x.rows) : r.rows;
    },
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        const out = await fn(db);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => {});
        throw err;
      }
    },
    async advisoryLock(key, timeoutMs, onWait) {
      const got = await client.query("SELECT pg_try_advisory_lock($1::bigint) AS ok", [key.toString()]);
      if (got.rows[0].ok) return;
      onWait?.();
      await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      try {
        await client.query("SELECT pg_advisory_lock($1::bigint)", [key.toString()]);
      } catch (err) {
        if (pgErrorInfo(err)?.code === "55P03") {
          throw new DatabaseError("lock-timeout", `Another sluice process held the migration lock for more than ${Math.round(timeoutMs / 1000)} s.`, {
            hint: "Wait for the other run to finish, or raise --lock-timeout.",
          });
        }
        throw err;
      } finally {
        await client.query("RESET lock_timeout").catch(() => {});
      }
    },
    async advisoryUnlock(key) {
      await client.query("SELECT pg_advisory_unlock($1::bigint)", [key.toString()]);
    },
    async serverVersion() {
      if (version === undefined) {
        const r = await client.query("SHOW server_version_num");
        version = Math.floor(Number(r.rows[0].server_version_num) / 10000);
      }
      return version;
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
  return db;
}

function safePassword(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return "";
  }
}

function connectError(err: unknown, displayUrl: string, password: string): DatabaseError {
  const info = pgErrorInfo(err);
  const e = err as { code?: string; message?: string };
  if (info?.code === "28P01" || info?.code === "28000") {
    return new DatabaseError("auth", `The server at ${displayUrl} refused the login: ${redactText(info.message, [password])}.`, {
      hint: "Check the user name and password in the URL (--url, DATABASE_URL or the config's `database`).",
    });
  }
  if (info?.code === "3D000") {
    return new DatabaseError("no-database", `${redactText(info.message, [password])} (${displayUrl}).`, {
      hint: "Create the database first (createdb), or point --url at one that exists.",
    });
  }
  const reason = e.code && !info ? `${e.code}` : redactText(e.message ?? String(err), [password]);
  return new DatabaseError("connect", `Cannot connect to ${displayUrl}: ${reason}.`, {
    hint: "Is the server running and reachable? Check the host, port and database in the URL.",
  });
}
