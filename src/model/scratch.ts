import type { Db } from "../db/types.js";
import { SluiceError } from "../errors.js";
import { redactUrl } from "../db/url.js";

/**
 * Where a model is compiled: a PostgreSQL of the same major version as the
 * database it is compared with, because catalog output differs between
 * versions.
 * - `pglite`: a fresh in-memory PGlite (PostgreSQL 18), started from the cached
 *   initialized snapshot; for embedded targets and `--from-chain`.
 * - `server`: a database Sluice creates on the target's server and drops after.
 * - `dev`: a database the user gives (`--dev-url`); the model is applied in a
 *   transaction that is always rolled back, so it stays as it was.
 */
export type ScratchTarget = { kind: "pglite" } | { kind: "server"; url: string } | { kind: "dev"; url: string };

export interface Scratch {
  readonly db: Db;
  /** Closes (and for `server`, drops) the scratch database. */
  dispose(): Promise<void>;
}

/** `log` is told of stale scratch databases dropped on the way. */
/** `extensions`: those an embedded scratch must be able to create (the model's, and the compared database's). */
export async function openScratch(target: ScratchTarget, log?: (line: string) => void, extensions: readonly string[] = []): Promise<Scratch> {
  if (target.kind !== "dev") {
    // The same throwaway databases `sluice verify` proves migrations on.
    const { openShadow } = await import("../verify/shadow.js");
    const shadow =
      target.kind === "pglite"
        ? await openShadow({ kind: "pglite", dataDir: null, displayUrl: "pglite:memory" }, { extensions, needs: "The model" })
        : await openShadow({ kind: "pg", url: target.url, displayUrl: redactUrl(target.url) }, { shadowUrl: "target", log });
    return { db: shadow.db, dispose: () => shadow.close() };
  }
  const { openPg } = await import("../db/pg.js");
  const db = await openPg(target.url);
  const used = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
  );
  if (used.rows[0].n > 0) {
    await db.close();
    throw new SluiceError("dev-database-not-empty", `The dev database ${db.displayUrl} is not empty (${used.rows[0].n} tables or views).`, {
      hint: "--dev-url must point at an empty database on the same PostgreSQL version; Sluice only uses it inside transactions it rolls back.",
    });
  }
  await db.exec("BEGIN");
  return {
    db,
    dispose: async () => {
      await db.exec("ROLLBACK").catch(() => {});
      await db.close();
    },
  };
}
