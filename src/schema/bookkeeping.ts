import type { Db } from "../db/types.js";

/** Sluice's own table: one row per applied revision (the runner keeps it). Introspection leaves it out. */
export const VERSION_TABLE = "sluice_version";

/**
 * Other migration tools' version tables in `public` (Prisma's, Alembic's): left out of
 * introspection like Sluice's own, so a project that imported its chain never
 * generates a migration dropping the old tool's record.
 */
export const FOREIGN_VERSION_TABLES: readonly string[] = ["_prisma_migrations", "alembic_version"];

/** Where a database keeps its version table: `versionTable` in the config, default public.sluice_version. */
export interface VersionTable {
  readonly schema: string;
  readonly name: string;
}

export const DEFAULT_VERSION_TABLE: VersionTable = { schema: "public", name: VERSION_TABLE };

// The version table a connection was opened for; a connection never bound uses the default.
const bound = new WeakMap<Db, VersionTable>();

/** Binds `db` to the version table every read and write through it uses (the project's, or a tenant schema's). */
export function useVersionTable(db: Db, t: VersionTable): Db {
  bound.set(db, t);
  return db;
}

export function versionTableOf(db: Db): VersionTable {
  return bound.get(db) ?? DEFAULT_VERSION_TABLE;
}
