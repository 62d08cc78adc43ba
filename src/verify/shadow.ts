import type { Db } from "../db/types.js";
import type { DatabaseTarget } from "../db/url.js";
import { parseDatabaseUrl } from "../db/url.js";
import { SluiceError } from "../errors.js";
import type { Migration } from "../chain/files.js";
import { pgliteLacks } from "../db/pglite.js";
import { createdExtensions } from "../sql/extensions.js";
import { dropStaleScratchDatabases, scratchDatabaseComment, scratchDatabaseName } from "./scratch-databases.js";

/** A throwaway database to prove migrations on; never the target. */
export interface Shadow {
  readonly db: Db;
  readonly kind: "pglite" | "pg";
  /** PostgreSQL major version the proof runs on. */
  readonly version: number;
  /** Where it lives, safe to print. */
  readonly description: string;
  /** For a server shadow, a URL of that server Sluice may create scratch databases through. */
  readonly serverUrl?: string;
  /** Why the shadow is not the one asked for (embedded PGlite lacks an extension the chain creates). */
  readonly note?: string;
  close(): Promise<void>;
}

export interface ShadowOptions {
  /**
   * Default: an embedded in-memory PGlite. `target`: a scratch database on the
   * target's own server (same PostgreSQL version). A `postgres://` URL: a
   * scratch database created next to that one, dropped afterwards.
   */
  shadowUrl?: string;
  /** Told of stale scratch databases dropped on the way. */
  log?: (line: string) => void;
  /**
   * Extensions the shadow must be able to create (those the chain or the
   * model creates). An embedded shadow loads them; one PGlite lacks moves the
   * shadow to the target's server, or, for an embedded target, is refused.
   */
  extensions?: readonly string[];
  /** What needs the extensions, for messages: `the chain`, `the model`. */
  needs?: string;
}

/** Opens a shadow database for `target`'s chain. */
export async function openShadow(target: DatabaseTarget, opts: ShadowOptions = {}): Promise<Shadow> {
  const server = shadowServer(target, opts.shadowUrl);
  if (server) return openServerShadow(server, opts.log);
  const lacking = pgliteLacks(opts.extensions ?? []);
  if (!lacking.length) return openEmbeddedShadow(opts.extensions ?? []);
  const what = `${opts.needs ?? "The chain"} creates the extension${lacking.length > 1 ? "s" : ""} ${lacking.join(", ")}, which embedded PGlite does not ship`;
  if (target.kind === "pg") {
    const note = `${what}: proving on a scratch database on the target's server instead.`;
    opts.log?.(note);
    return { ...(await openServerShadow(target.url, opts.log)), note };
  }
  throw new SluiceError("shadow-extension", `${what}, and the target is embedded too: there is no server to prove on.`, {
    exitCode: 2,
    hint: "Give --shadow-url postgres://… (a server where the extension is installed), or set devUrl in sluice.config.ts to such a server's database.",
  });
}

/** The extensions the migrations' upgrades create, read from their SQL with PostgreSQL's parser. */
export async function extensionsCreatedBy(migrations: readonly Migration[]): Promise<string[]> {
  const { compileMigration } = await import("../runner/runner.js");
  const texts: string[] = [];
  for (const m of migrations) for (const st of (await compileMigration(m, "upgrade")).statements) texts.push(st.sql);
  return createdExtensions(texts);
}

/** The server a shadow for `target` is created on (see ShadowOptions), or undefined for embedded PGlite. */
export function shadowServer(target: DatabaseTarget, shadowUrl: string | undefined): string | undefined {
  if (shadowUrl === "target") return target.kind === "pg" ? target.url : undefined;
  if (!shadowUrl) return undefined;
  const parsed = parseDatabaseUrl(shadowUrl, process.cwd());
  if (!parsed) {
    throw new SluiceError("usage", "--shadow-url must be a postgres:// URL, `target`, or pglite:memory.", {
      hint: "Give a server Sluice may create and drop a scratch database on, e.g. postgres://postgres@localhost:5432/postgres.",
    });
  }
  if (parsed.kind === "pg") return parsed.url;
  if (parsed.dataDir !== null) {
    throw new SluiceError("usage", "A shadow database must be throwaway: use pglite:memory, not a PGlite folder.", { hint: "Leave --shadow-url out for an embedded shadow." });
  }
  return undefined;
}

async function openEmbeddedShadow(extensions: readonly string[]): Promise<Shadow> {
  const { openPglite } = await import("../db/pglite.js");
  const db = await openPglite(null, { extensions });
  return { db, kind: "pglite", version: await db.serverVersion(), description: "embedded PGlite (in memory)", close: () => db.close() };
}

async function openServerShadow(url: string, log?: (line: string) => void): Promise<Shadow> {
  const { openPg } = await import("../db/pg.js");
  const admin = await openPg(url);
  await dropStaleScratchDatabases(admin, log);
  const name = scratchDatabaseName();
  try {
    await admin.exec(`CREATE DATABASE ${name}`);
    // Only for people listing databases: the name alone marks it.
    await admin.exec(scratchDatabaseComment(name)).catch(() => {});
  } catch (err) {
    await admin.close();
    throw new SluiceError("shadow", `Cannot create a scratch database on ${admin.displayUrl}: ${(err as Error).message}.`, {
      exitCode: 3,
      hint: "The shadow's user needs CREATEDB; or leave --shadow-url out to prove on embedded PGlite.",
    });
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  let db: Db;
  try {
    db = await openPg(u.toString());
  } catch (err) {
    await admin.exec(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
    await admin.close();
    throw err;
  }
  // The shadow runs catalog queries whose plans cost enough to be JIT-compiled:
  // ~450 ms each on PostgreSQL 15 here, for queries that run in a few ms.
  await db.exec("SET jit = off");
  const version = await db.serverVersion();
  return {
    db,
    kind: "pg",
    version,
    serverUrl: url,
    description: `scratch database ${name} on ${admin.displayUrl.replace(/\/[^/]*$/, "")}`,
    async close() {
      await db.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => admin.exec(`DROP DATABASE IF EXISTS ${name}`));
      await admin.close();
    },
  };
}
