// What a config file declares itself with; config loads and validates it.

/** The `checks` key of `sluice.config.ts`. */
export interface ChecksConfig {
  /** "strict" makes the lock-safety rules errors. Default "default". */
  readonly preset?: "default" | "strict";
  /** Per rule: its severity, or "off". */
  readonly rules?: Readonly<Record<string, "error" | "warning" | "off">>;
}

/** What a project writes in `sluice.config.ts`; every key is described in docs/config.md, and any other key is refused. */
export interface SluiceConfig {
  /** A database URL: postgres://…, pglite:<dir> or pglite:memory. */
  database?: string;
  /** The migrations folder, relative to the config file. Default "./migrations". */
  migrations?: string;
  /** The database schemas Sluice introspects and compares. Default ["public"]. */
  schemas?: string[];
  /**
   * The application's model, for `sluice revision --autogenerate` and `sluice diff`:
   * a Drizzle ORM module (`drizzle`) or a file of DDL (`sql`), relative to this file.
   * `casing` is the one given to `drizzle()` when column names come from property keys.
   */
  schema?: { drizzle?: string; sql?: string; casing?: "snake_case" | "camelCase" };
  /** An empty database on the target's PostgreSQL version to compile the model in (rolled back every time); `--dev-url` overrides it. */
  devUrl?: string;
  /**
   * How `sluice revision --autogenerate` writes changes to existing tables.
   * `safe` (default true): indexes built CONCURRENTLY, constraints added NOT
   * VALID and validated, NOT NULL through a validated CHECK, in a second,
   * non-transactional migration where needed; `false` writes the plain one-step form.
   */
  autogenerate?: { safe?: boolean };
  /** A module of Drizzle `relations(…)`, when they do not live in the `schema.drizzle` module. */
  relations?: string;
  /** The API's zod schemas, keyed by table name, for the post-migration model checks (`sluice check --models`). */
  apiSchemas?: string;
  /** `sluice check` and the checks before `upgrade`: a preset and per-rule severity or "off". */
  checks?: ChecksConfig;
  /** lock_timeout for every migration: ms or "5s". Default 5 s; 0 turns it off. */
  lockTimeout?: number | string;
  /** How often a migration that hit lock_timeout is run again, with backoff. Default 3. */
  lockTimeoutRetries?: number;
  /** statement_timeout for every migration that sets none of its own: ms or "30s". Default none. */
  statementTimeout?: number | string;
  /** The largest migration file Sluice reads, in MB (default 8): PostgreSQL's parser needs about 150 MB of memory per MB of SQL. */
  maxMigrationFileMB?: number;
  /** Where Sluice records applied revisions: "name" (in public) or "schema.name". Default "public.sluice_version". */
  versionTable?: string;
}

/**
 * Declares a project's configuration, typed.
 *
 * @example
 * // sluice.config.ts
 * import { defineConfig } from "sluice";
 * export default defineConfig({ migrations: "./migrations" });
 */
export function defineConfig(config: SluiceConfig): SluiceConfig {
  return config;
}
