import fs from "node:fs";
import path from "node:path";
import { ConfigError, firstLine } from "../errors.js";
import { parseDatabaseUrl, redactText, redactUrl, type DatabaseTarget } from "../db/url.js";
import { loadUserModule, loadSelfContainedModule, defaultExport } from "../modules/load.js";
import type { SluiceConfig } from "../define/config.js";
import { resolveTimeouts, type MigrationTimeouts } from "./timeouts.js";

export { defineConfig, type SluiceConfig, type ChecksConfig } from "../define/config.js";

/** `versionTable` as schema and name: "public.sluice_version" when the config sets none. */
export function versionTableOfConfig(config: SluiceConfig): { schema: string; name: string } {
  const [a, b] = (config.versionTable ?? "sluice_version").split(".");
  return b === undefined ? { schema: "public", name: a } : { schema: a, name: b };
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
  /** The version table every run reads and writes (`versionTable`). */
  versionTable: { readonly schema: string; readonly name: string };
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
  return { root, configFile, config, migrationsDir, database, databaseSource, timeouts, versionTable: versionTableOfConfig(config), ...(maxMb ? { maxMigrationFileBytes: Math.floor(maxMb * 1024 * 1024) } : {}) };
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
