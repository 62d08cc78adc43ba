import type { Db } from "../db/types.js";
import type { Migration } from "../chain/files.js";
import type { Chain } from "../chain/graph.js";
import { planUpgrade } from "../chain/graph.js";
import { createVersionTableSql } from "../runner/version-table.js";
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

/** Applies every migration of the chain, in order, on a shadow database, as `sluice verify` brings its shadow forward. */
export async function replayChain(db: Db, chain: Chain): Promise<void> {
  await db.exec(createVersionTableSql());
  const plan = planUpgrade(chain, new Set(), "heads");
  await replayMigrations(db, plan.revisions.map((r) => chain.get(r)!));
}
