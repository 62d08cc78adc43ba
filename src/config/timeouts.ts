import path from "node:path";
import { ConfigError } from "../errors.js";
import { DURATION_FORMS, parseDuration } from "../duration.js";
import type { SluiceConfig } from "../define/config.js";

/** The timeouts every migration runs under, from the config. */
export interface MigrationTimeouts {
  /** lock_timeout for each migration, in ms; 0 leaves the server's setting. Default 5 s. */
  readonly lockTimeoutMs: number;
  /** How often a migration that timed out waiting for a lock is run again. Default 3. */
  readonly lockTimeoutRetries: number;
  /** statement_timeout for migrations that set none of their own, in ms; undefined or 0 leaves the server's. */
  readonly statementTimeoutMs?: number;
}

export const DEFAULT_TIMEOUTS: MigrationTimeouts = { lockTimeoutMs: 5000, lockTimeoutRetries: 3 };

/** Reads `lockTimeout`, `lockTimeoutRetries` and `statementTimeout`; a bad value is refused (exit 2). */
export function resolveTimeouts(config: SluiceConfig, configFile: string): MigrationTimeouts {
  const name = path.basename(configFile);
  const duration = (key: "lockTimeout" | "statementTimeout"): number | undefined => {
    const value = config[key];
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) throw new ConfigError(`${name}: \`${key}\` is ${JSON.stringify(value)}; it must be ${DURATION_FORMS} (0 turns it off).`, `For example: ${key}: "5s".`);
    return ms;
  };
  const retries = config.lockTimeoutRetries;
  if (retries !== undefined && (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0 || retries > 100)) {
    throw new ConfigError(`${name}: \`lockTimeoutRetries\` is ${JSON.stringify(retries)}; it must be a whole number from 0 to 100.`, "For example: lockTimeoutRetries: 3 (0 fails on the first lock timeout).");
  }
  const statementTimeoutMs = duration("statementTimeout");
  return {
    lockTimeoutMs: duration("lockTimeout") ?? DEFAULT_TIMEOUTS.lockTimeoutMs,
    lockTimeoutRetries: retries ?? DEFAULT_TIMEOUTS.lockTimeoutRetries,
    ...(statementTimeoutMs ? { statementTimeoutMs } : {}),
  };
}
