import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { cacheDir, loadConfig, type ResolvedConfig } from "../config/config.js";
import { discoverMigrations } from "../chain/files.js";
import { buildChain, type Chain } from "../chain/graph.js";
import { openDatabase } from "../db/open.js";
import type { Db } from "../db/types.js";
import { DEFAULT_VERSION_TABLE, useVersionTable, type VersionTable } from "../runner/version-table.js";

/** Options every command takes: where the project is and which database to use. */
export interface CommonOptions {
  /** Working directory; the config is searched from here up. Default: process.cwd(). */
  cwd?: string;
  /** --config */
  config?: string;
  /** --url */
  url?: string;
  /** Progress and warnings for a human (the CLI prints them to stderr). */
  log?: (line: string) => void;
}

export interface Project {
  readonly config: ResolvedConfig;
  readonly chain: Chain;
}

/** Loads the config and the revision chain. */
export async function openProject(opts: CommonOptions): Promise<Project> {
  const config = await loadConfig({ cwd: opts.cwd, configPath: opts.config, url: opts.url });
  const migrations = await discoverMigrations(config.migrationsDir, {
    root: config.root,
    cacheDir: cacheDir(config.root),
    maxFileBytes: config.maxMigrationFileBytes,
  });
  return { config, chain: buildChain(migrations) };
}

/** Opens the project's database for the length of `fn`; `lockTimeoutMs` bounds the wait for another process's embedded database. */
export async function withDatabase<T>(project: Project, opts: CommonOptions & { lockTimeoutMs?: number }, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openProjectDatabase(project, opts);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Opens the project's database, bound to the project's version table. */
export async function openProjectDatabase(project: Project, opts: CommonOptions & { lockTimeoutMs?: number }): Promise<Db> {
  const db = await openDatabase(project.config.database, { onWait: opts.log, lockTimeoutMs: opts.lockTimeoutMs });
  return useVersionTable(db, project.config.versionTable);
}

/** The advisory lock a run on `table` holds: MIGRATION_LOCK_KEY for the default table, one of its own for any other, so two chains in one database (tenant schemas) do not wait for each other. */
export function migrationLockKey(table: VersionTable): bigint {
  if (table.schema === DEFAULT_VERSION_TABLE.schema && table.name === DEFAULT_VERSION_TABLE.name) return MIGRATION_LOCK_KEY;
  const digest = crypto.createHash("sha256").update(`${table.schema}.${table.name}`).digest();
  return digest.readBigInt64BE(0);
}

/** Whether the embedded data directory exists yet (so read-only commands can skip creating it). */
export function databaseExists(project: Project): boolean {
  const t = project.config.database;
  return t.kind === "pg" || t.dataDir === null || fs.existsSync(path.join(t.dataDir, "PG_VERSION"));
}

/** The advisory lock every run that changes the version table holds ("sluice" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x736c75696365n;
