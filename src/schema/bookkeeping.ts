/** Sluice's own table: one row per applied revision (the runner keeps it). Introspection leaves it out. */
export const VERSION_TABLE = "sluice_version";

/**
 * Other migration tools' version tables in `public` (Prisma's, Alembic's): left out of
 * introspection like Sluice's own, so a project that imported its chain never
 * generates a migration dropping the old tool's record.
 */
export const FOREIGN_VERSION_TABLES: readonly string[] = ["_prisma_migrations", "alembic_version"];
