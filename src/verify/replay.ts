import type { Db } from "../db/types.js";
import type { Migration } from "../chain/files.js";
import { compileMigration, runMigrations, type CompiledMigration } from "../runner/runner.js";

/**
 * Brings a shadow forward through migrations that are not being proved,
 * exactly as `upgrade` applies them: each in its own transaction (so an enum
 * value is committed before a later migration uses it, and a SET LOCAL ends
 * with its migration), consecutive ones sharing a round trip, and a failure
 * named by file and line.
 */
export async function replayMigrations(db: Db, migrations: readonly Migration[]): Promise<void> {
  const compiled: CompiledMigration[] = [];
  for (const m of migrations) compiled.push(await compileMigration(m, "upgrade"));
  const { error } = await runMigrations(db, compiled, { asyncCommit: true });
  if (error) throw error;
}
