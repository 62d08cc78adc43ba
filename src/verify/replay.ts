import type { Db } from "../db/types.js";
import type { Migration } from "../chain/files.js";
import { compileMigration, runMigration, type CompiledMigration } from "../runner/runner.js";
import { insertVersionSql } from "../runner/version-table.js";

/**
 * Migrations per round trip. One batch of the whole chain is hardly faster
 * than batches of a hundred (990 migrations on PGlite: 1.7 s against 1.8 s,
 * against 4.5 s one by one), and a batch that fails is replayed one migration
 * at a time, so a smaller batch bounds what a failure costs.
 */
const BATCH = 100;

/**
 * Brings a shadow forward through migrations that are not being proved, with
 * one round trip and one transaction per batch: their statements and their
 * version rows joined into one script. A migration that cannot share a
 * transaction (`transactional: false`), asserts its backfill (`verify`) or
 * sets a variable (a SET LOCAL would last to the end of the batch) runs alone
 * and splits the batch. When a batch fails — an enum value added and
 * used before its commit is the usual reason — it is rolled back and run one
 * migration at a time, as `upgrade` would, so the error names the file and line.
 */
export async function replayMigrations(db: Db, migrations: readonly Migration[]): Promise<void> {
  let batch: CompiledMigration[] = [];
  for (const m of migrations) {
    const c = await compileMigration(m, "upgrade");
    // A SET LOCAL would outlive its migration in a shared transaction and change the ones after it.
    if (m.transactional && !m.verify && !c.statements.some((s) => s.setsVariable)) {
      batch.push(c);
      if (batch.length >= BATCH) batch = await runBatch(db, batch);
      continue;
    }
    batch = await runBatch(db, batch);
    await runMigration(db, c);
  }
  await runBatch(db, batch);
}

async function runBatch(db: Db, batch: readonly CompiledMigration[]): Promise<CompiledMigration[]> {
  if (!batch.length) return [];
  // A newline before each separator ends a trailing line comment.
  const script = batch.flatMap((c) => [...c.statements.map((s) => s.sql), insertVersionSql(c.migration)]).join("\n;\n");
  try {
    await db.transaction((tx) => tx.exec(script));
  } catch {
    for (const c of batch) await runMigration(db, c);
  }
  return [];
}
