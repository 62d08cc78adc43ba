import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { parseDatabaseUrl, redactText, redactUrl, type DatabaseTarget } from "../db/url.js";
import { loadUserModule, loadSelfContainedModule, defaultExport } from "./load-module.js";
import { resolveTimeouts, type MigrationTimeouts } from "./timeouts.js";

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
  /** A module of Drizzle `relations(…)`, when they do not live in the `schema.drizzle` module. */
  relations?: string;
  /** The API's zod schemas, keyed by table name, for the post-migration model checks (`sluice check --models`). */
  apiSchemas?: string;
  /** `sluice check` and the checks before `upgrade`: a preset and per-rule severity or "off". */
  checks?: import("../checks/config.js").ChecksConfig;
  /** lock_timeout for every migration: ms or "5s". Default 5 s; 0 turns it off. */
  lockTimeout?: number | string;
  /** How often a migration that hit lock_timeout is run again, with backoff. Default 3. */
  lockTimeoutRetries?: number;
  /** statement_timeout for every migration that sets none of its own: ms or "30s". Default none. */
  statementTimeout?: number | string;
  /** The largest migration file Sluice reads, in MB (default 8): PostgreSQL's parser needs about 150 MB of memory per MB of SQL. */
  maxMigrationFileMB?: number;
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

export const CONFIG_NAMES = ["sluice.config.ts", "sluice.config.mts", "sluice.config.js", "sluice.config.mjs"];

export interface ResolvedConfig {
  /** The folder the config lives in; relative paths are resolved from here. */
  root: string;
  configFile: string;
  config: SluiceConfig;
  migrationsDir: string;
  database: DatabaseTarget;
  /** Where the database URL came from. */
  databaseSource: "--url" | "DATABASE_URL" | "config" | "default";
  /** The lock and statement timeouts migrations run under. */
  timeouts: MigrationTimeouts;
  /** `maxMigrationFileMB` in bytes, when the config sets it. */
  maxMigrationFileBytes?: number;
}

export interface LoadConfigOptions {
  cwd?: string;
  /** --config: an explicit config file. */
  configPath?: string;
  /** --url: overrides everything else. */
  url?: string;
  env?: Record<string, string | undefined>;
}

/** Finds the config in `cwd` or above it. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (fs.existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Loads the config and resolves the database: --url > DATABASE_URL > config > embedded default. */
export async function loadConfig(opts: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const env = opts.env ?? process.env;
  let configFile: string | undefined;
  if (opts.configPath) {
    configFile = path.resolve(cwd, opts.configPath);
    if (!fs.existsSync(configFile)) {
      throw new ConfigError(`Config file ${opts.configPath} does not exist.`, "Check the --config path, or run `sluice init` to create one.");
    }
  } else {
    configFile = findConfigFile(cwd);
    if (!configFile) {
      throw new ConfigError(
        `No sluice.config.ts found in ${path.basename(cwd) || cwd} or any folder above it.`,
        "Run `sluice init` to create one, or pass --config <file>.",
      );
    }
  }
  const config = await importConfig(configFile);
  const root = path.dirname(configFile);
  // Loaded here, not at the top: zod and the rule list are only needed once a config is read.
  (await import("./schema.js")).validateConfig(config, configFile);
  const maxMb = config.maxMigrationFileMB;
  const migrationsDir = path.resolve(root, config.migrations ?? "./migrations");
  const timeouts = resolveTimeouts(config, configFile);

  let url: string | undefined;
  let databaseSource: ResolvedConfig["databaseSource"];
  if (opts.url) [url, databaseSource] = [opts.url, "--url"];
  else if (env.DATABASE_URL) [url, databaseSource] = [env.DATABASE_URL, "DATABASE_URL"];
  else if (config.database) [url, databaseSource] = [config.database, "config"];
  else [url, databaseSource] = ["pglite:.sluice/pglite", "default"];

  const database = parseDatabaseUrl(url, root);
  if (!database) {
    throw new ConfigError(
      `The database URL from ${databaseSource} is not one Sluice understands: ${redactUrl(url)}.`,
      "Use postgres://user@host:5432/db, pglite:<folder> or pglite:memory.",
    );
  }
  return { root, configFile, config, migrationsDir, database, databaseSource, timeouts, ...(maxMb ? { maxMigrationFileBytes: Math.floor(maxMb * 1024 * 1024) } : {}) };
}

/** `.sluice/` in the project: caches and the default embedded database, ignored by git. */
export function stateDir(root: string): string {
  const dir = path.join(root, ".sluice");
  if (!fs.existsSync(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, ".gitignore"), "*\n");
  }
  return dir;
}

/** `.sluice/cache` in the project: files that only save time (compiled migrations, findings, the compiled model). */
export function cacheDir(root: string): string {
  return path.join(stateDir(root), "cache");
}

/** The cache folder, or undefined where it cannot be made (a read-only project). */
function cacheDirIfWritable(root: string): string | undefined {
  try {
    return cacheDir(root);
  } catch {
    return undefined;
  }
}

/** The config module; one that imports nothing but "sluice" loads from the compiled cache, as migration files do. */
async function importConfig(file: string): Promise<SluiceConfig> {
  let mod: Record<string, unknown>;
  try {
    const source = fs.readFileSync(file, "utf8");
    // A compiled copy of a config that holds a password would keep the password on disk: compile it in memory.
    const secret = redactText(source) !== source;
    const cache = secret ? undefined : cacheDirIfWritable(path.dirname(file));
    mod = cache || secret ? await loadSelfContainedModule(file, source, cache) : await loadUserModule(file);
  } catch (err) {
    throw new ConfigError(`${path.basename(file)} could not be loaded: ${firstLine(err)}`, "Fix the error in the config file; it must `export default defineConfig({ … })`.", err);
  }
  const value = defaultExport(mod);
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${path.basename(file)} has no default export object.`, "Write `export default defineConfig({ migrations: \"./migrations\" })`.");
  }
  return value as SluiceConfig;
}

export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n").filter(Boolean).slice(0, 3).join(" ").trim();
}
