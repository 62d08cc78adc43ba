import { openProject, withDatabase, databaseExists, openProjectDatabase, migrationLockKey, type CommonOptions, type Project } from "./context.js";
import { readApplied, createVersionTableSql, qualifiedVersionTable, versionTableOf, insertVersionSql, deleteVersionSql, type AppliedRevision } from "../runner/version-table.js";
import { quoteLiteral } from "../ops/quote.js";
import {
  compileMigration,
  runMigrations,
  runInOneTransaction,
  revisionRange,
  flushCommits,
  renderOffline,
  RunInterrupted,
  type CompiledMigration,
  type Direction,
  type RetryEvent,
} from "../runner/runner.js";
import { planDowngrade, planUpgrade, appliedHeads, resolveRevision, type Plan } from "../chain/graph.js";
import { MultipleHeads } from "../chain/errors.js";
import { chainStatus, driftWarnings } from "./status.js";
import { SluiceError, ExitCode } from "../errors.js";
import type { Db } from "../db/types.js";
import type { DataLoss } from "./data-loss.js";

export interface MigrateOptions extends CommonOptions {
  /** Print the SQL that would run instead of running it (offline mode). */
  sql?: boolean;
  /** Refuse when an applied migration's file changed since it was applied. */
  strict?: boolean;
  /** How long to wait for another run's lock, in ms. Default 5 minutes. */
  lockTimeoutMs?: number;
  /**
   * Run every migration of the run in one transaction: all of them apply, or
   * none does (Alembic's and node-pg-migrate's default). Refused when one of
   * them is not transactional.
   */
  singleTransaction?: boolean;
  /**
   * Stops the run: the running statement is cancelled on the server and its
   * migration rolled back, no other migration starts, the migration lock is
   * released, and the result's `interrupted` says what was applied and what
   * was not. The CLI aborts it on SIGINT and SIGTERM.
   */
  signal?: AbortSignal;
}

export interface UpgradeOptions extends MigrateOptions {
  /** Default "head". */
  target?: string;
  /**
   * Called with the compiled migrations before any runs, under the migration
   * lock (with `db`; with `sql`, `db` is there when the database exists); throw to refuse.
   */
  beforeApply?: (compiled: readonly CompiledMigration[], project: Project, db: Db | undefined) => Promise<void>;
  /** Run the checks on what is about to be applied and refuse on errors (exit 1). Default true. */
  check?: boolean;
  /**
   * The run was asked for by an agent (the MCP server): an acknowledgement
   * (`allow`, `-- sluice:allow`) counts only in a file a human committed in git
   * or approved with `sluice check --approve`.
   */
  agent?: boolean;
  /** With `agent`: the human let the agent's own acknowledgements count (`sluice mcp --allow-destructive`). */
  allowDestructive?: boolean;
}

export interface DowngradeOptions extends MigrateOptions {
  target: string;
  /**
   * Roll back even when that drops data: a table with rows, a column holding
   * values (`--yes`). Without it such a downgrade is refused (error `data-loss`,
   * exit 2, its `losses` listing what would go) unless `confirmDataLoss` says yes.
   */
  allowDataLoss?: boolean;
  /** Asked (on a terminal) before a data-losing downgrade runs; true goes on. */
  confirmDataLoss?: (losses: readonly DataLoss[]) => Promise<boolean>;
}

export interface AppliedStep {
  revision: string;
  message: string;
  file: string;
  ms: number;
}

export interface MigrateResult {
  direction: Direction;
  /** The revision(s) the database was at before, and is at after. */
  from: string[];
  to: string[];
  /** What ran, in order (empty with --sql). */
  steps: AppliedStep[];
  /** The SQL script, with --sql. */
  sql?: string;
  /** Data the downgrade dropped (allowed with --yes), or would drop (with --sql). */
  dataLoss?: DataLoss[];
  database: string;
  /** Set when `signal` stopped the run; `steps` are the migrations it applied before. */
  interrupted?: Interruption;
}

export interface Interruption {
  /** The abort reason when it is a string, such as "SIGINT". */
  reason?: string;
  /** The migration that was running: its transaction was rolled back (see `message` for one outside a transaction). */
  rolledBack: string[];
  /** Migrations of the plan that never started. */
  notStarted: string[];
  /** What was applied, rolled back and left, for a person. */
  message: string;
}

/**
 * Applies migrations up to a target (default `head`) under the migration lock,
 * one transaction per migration.
 *
 * @example
 * const { steps, to } = await upgrade({ cwd: "./app", target: "head" });
 */
export function upgrade(opts: UpgradeOptions = {}): Promise<MigrateResult> {
  const target = opts.target ?? "head";
  const beforeApply: UpgradeOptions["beforeApply"] =
    opts.check === false || opts.sql
      ? opts.beforeApply
      : async (compiled, project, db) => {
          const { refuseOnCheckErrors } = await import("./check.js");
          await refuseOnCheckErrors(compiled.map((c) => c.migration), project, opts.log, { agent: opts.agent, allowDestructive: opts.allowDestructive });
          await opts.beforeApply?.(compiled, project, db);
        };
  return migrate("upgrade", { ...opts, beforeApply }, (chain, applied) => planUpgrade(chain, applied, target));
}

/**
 * Rolls migrations back to a target: `base`, `-N`, a revision id or prefix.
 * A downgrade that would drop data (rows, a column's values) is refused unless
 * `allowDataLoss` (or `confirmDataLoss`) lets it; with `sql` it is a comment.
 *
 * @example
 * const { to } = await downgrade({ cwd: "./app", target: "-1", allowDataLoss: true });
 */
export async function downgrade(opts: DowngradeOptions): Promise<MigrateResult> {
  if (!opts.target) throw new SluiceError("usage", "downgrade needs a target.", { hint: "Use `sluice downgrade -1`, a revision id, or base." });
  // Loaded here, not at the top: it brings in the SQL parser, which upgrade loads only to check.
  const { dataLossComments, dataLossRefusal, findDataLoss } = await import("./data-loss.js");
  let losses: DataLoss[] = [];
  const beforeApply: UpgradeOptions["beforeApply"] = async (compiled, project, db) => {
    losses = db ? await findDataLoss(db, compiled) : [];
    if (losses.length && !opts.sql && !opts.allowDataLoss && !(await opts.confirmDataLoss?.(losses))) throw dataLossRefusal(losses);
  };
  const r = await migrate("downgrade", { ...opts, beforeApply }, (chain, applied) => planDowngrade(chain, applied, opts.target));
  if (!losses.length) return r;
  return { ...r, dataLoss: losses, ...(r.sql === undefined ? {} : { sql: dataLossComments(losses) + r.sql }) };
}

async function migrate(
  direction: Direction,
  opts: UpgradeOptions,
  plan: (chain: Project["chain"], applied: ReadonlySet<string>) => Plan,
): Promise<MigrateResult> {
  const project = await openProject(opts);
  const database = project.config.database.displayUrl;
  if (opts.sql) {
    // Offline: read where the database is when it exists, and change nothing.
    const offline = async (db?: Db): Promise<MigrateResult> => {
      const applied = db ? await readApplied(db) : [];
      const p = plan(project.chain, new Set(applied.map((a) => a.revision)));
      const compiled = await compileAll(project, p, direction);
      if (opts.singleTransaction) refuseOutsideTransaction(compiled);
      await opts.beforeApply?.(compiled, project, db);
      const versionTable = project.config.versionTable;
      const createTable = direction === "upgrade" ? createVersionTableSql(versionTable) : undefined;
      const sql = renderOffline(compiled, { createVersionTable: createTable, singleTransaction: opts.singleTransaction, timeouts: project.config.timeouts, versionTable });
      return { direction, from: appliedHeads(project.chain, applied.map((a) => a.revision)), to: [...p.to], steps: [], sql, database };
    };
    return databaseExists(project) ? withDatabase(project, opts, offline) : offline();
  }
  const { signal } = opts;
  const stopped = (what: string): MigrateResult => ({ direction, from: [], to: [], steps: [], database, interrupted: interruptionOf(signal, [], [], what) });
  if (signal?.aborted) return stopped("nothing was applied.");
  const db = await openProjectDatabase(project, opts);
  // The running statement is cancelled on the server; the runner sees the abort between migrations.
  const cancel = () => void db.cancel?.().catch(() => {});
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    try {
      await db.advisoryLock(migrationLockKey(versionTableOf(db)), opts.lockTimeoutMs ?? 5 * 60_000, () => opts.log?.("Waiting for another sluice run to release the migration lock …"));
    } catch (err) {
      if (signal?.aborted) return stopped("stopped while waiting for another sluice run's migration lock; nothing was applied.");
      throw err;
    }
    try {
      return await migrateLocked(db, project, direction, opts, plan);
    } catch (err) {
      if (signal?.aborted && !(err instanceof SluiceError && err.exitCode !== ExitCode.database)) {
        return stopped("stopped before any migration ran; nothing was applied.");
      }
      throw err;
    } finally {
      await db.advisoryUnlock(migrationLockKey(versionTableOf(db))).catch(() => {});
    }
  } finally {
    signal?.removeEventListener("abort", cancel);
    await db.close();
  }
}

async function migrateLocked(
  db: Db,
  project: Project,
  direction: Direction,
  opts: UpgradeOptions,
  plan: (chain: Project["chain"], applied: ReadonlySet<string>) => Plan,
): Promise<MigrateResult> {
  const { chain } = project;
  const applied = await readAppliedCreating(db);
  const appliedSet = new Set(applied.map((a) => a.revision));
  const status = chainStatus(chain, applied);
  for (const w of driftWarnings(status.drifted)) opts.log?.(w);
  if (opts.strict && status.drifted.length) {
    throw new SluiceError("checksum", `${status.drifted.length} applied migration(s) differ from their files; refusing under --strict.`, {
      hint: "Restore the files as they were applied, or write a new migration for the change.",
      details: { drifted: status.drifted },
    });
  }
  const p = plan(chain, appliedSet);
  const missing = p.revisions.filter((r) => !chain.get(r));
  if (missing.length) {
    throw new SluiceError("missing-file", `Revision(s) ${missing.join(", ")} must be rolled back but have no migration file.`, {
      hint: "Restore the files from version control, or `sluice stamp` the database to a revision that has one.",
    });
  }
  // Compile everything first: a file that does not load or parse changes nothing.
  const compiled = await compileAll(project, p, direction);
  if (opts.singleTransaction) refuseOutsideTransaction(compiled);
  await opts.beforeApply?.(compiled, project, db);
  const from = appliedHeads(chain, appliedSet);
  const verb = direction === "upgrade" ? "Upgrading" : "Downgrading";
  const run: RunSettings = { verb, log: opts.log, timeouts: project.config.timeouts, signal: opts.signal };
  const { steps, interrupted } = opts.singleTransaction ? await applyInOneTransaction(db, compiled, run) : await applyEach(db, compiled, run);
  const database = project.config.database.displayUrl;
  if (interrupted) {
    const now = await readApplied(db).catch(() => undefined);
    return { direction, from, to: now ? appliedHeads(chain, now.map((a) => a.revision)) : [], steps, database, interrupted };
  }
  return { direction, from, to: [...p.to], steps, database };
}

interface RunSettings {
  verb: string;
  log?: (line: string) => void;
  timeouts: Project["config"]["timeouts"];
  signal?: AbortSignal;
}

/** The log line for a migration that timed out on a lock and runs again. */
function retryLine(e: RetryEvent): string {
  const m = e.migration.migration;
  const held = e.lockWait?.blockers.length
    ? ` (held by ${e.lockWait.blockers.map((b) => `pid ${b.pid}, ${b.state}`).join("; ")}${e.lockWait.relation ? ` on ${e.lockWait.relation}` : ""})`
    : "";
  return `Revision ${m.revision} timed out waiting for a lock${held}; rolled back, retry ${e.attempt} of ${e.retries} in ${(e.delayMs / 1000).toFixed(1)} s …`;
}

function interruptionOf(signal: AbortSignal | undefined, rolledBack: string[], notStarted: string[], what: string): Interruption {
  const reason = typeof signal?.reason === "string" ? signal.reason : undefined;
  return { ...(reason ? { reason } : {}), rolledBack, notStarted, message: `Interrupted${reason ? ` (${reason})` : ""}: ${what}` };
}

/** What an interrupted run applied, rolled back and never started. */
function interruption(compiled: readonly CompiledMigration[], steps: readonly AppliedStep[], err: RunInterrupted, signal: AbortSignal | undefined): Interruption {
  const inFlight = err.inFlight;
  const rolledBack = inFlight ? [inFlight.migration.revision] : [];
  const notStarted = compiled.slice(steps.length + rolledBack.length).map((c) => c.migration.revision);
  const parts = [steps.length ? `applied ${steps.map((s) => s.revision).join(", ")}` : "applied nothing"];
  if (inFlight?.migration.transactional) parts.push(`rolled back ${inFlight.migration.revision} (it was running; its transaction was rolled back)`);
  else if (inFlight) {
    const ran = ((err.cause as SluiceError | undefined)?.details?.statementsRun as string[] | undefined) ?? [];
    parts.push(`stopped ${inFlight.migration.revision}, which runs outside a transaction: ${ran.length} of its statements ran and stay applied, and it is not recorded`);
  }
  if (notStarted.length) parts.push(`not started: ${revisionRange(notStarted)}`);
  return interruptionOf(signal, rolledBack, notStarted, `${parts.join("; ")}.`);
}

const stepOf = (m: CompiledMigration["migration"], ms: number | undefined): AppliedStep => ({ revision: m.revision, message: m.message, file: m.file, ms: Math.round(ms ?? 0) });

/**
 * Each migration in its own transaction, consecutive ones sharing round trips.
 * Every commit but the run's last is asynchronous; should the run stop early,
 * flushCommits makes what it applied durable before the error is reported.
 */
async function applyEach(db: Db, compiled: readonly CompiledMigration[], run: RunSettings): Promise<{ steps: AppliedStep[]; interrupted?: Interruption }> {
  const { verb, log } = run;
  const { done, error } = await runMigrations(db, compiled, {
    asyncCommit: true,
    timeouts: run.timeouts,
    signal: run.signal,
    onRetry: (e) => log?.(retryLine(e)),
    onRoundTrip: (batch) => {
      const m = batch[0].migration;
      if (batch.length === 1) log?.(`${verb} ${m.revision}${m.message ? ` (${m.message})` : ""} …`);
      else log?.(`${verb} ${revisionRange(batch.map((c) => c.migration.revision))}, each in its own transaction …`);
    },
  });
  const steps = done.map(({ migration, ms }) => stepOf(migration.migration, ms));
  if (error) {
    // Once more if a cancel request sent as the run stopped arrives late and cancels the first.
    if (steps.length) await flushCommits(db).catch(() => flushCommits(db)).catch(() => {});
    if (error instanceof RunInterrupted) return { steps, interrupted: interruption(compiled, steps, error, run.signal) };
    if (error instanceof SluiceError) {
      Object.assign(error.details ?? {}, { completed: steps.map((s) => s.revision) });
      if (steps.length) error.message += `\n${steps.length} earlier migration(s) of this run were applied and stay applied: ${steps.map((s) => s.revision).join(", ")}.`;
    }
    throw error;
  }
  return { steps };
}

/** `--single-transaction`: the whole run in one transaction, all or nothing. */
async function applyInOneTransaction(db: Db, compiled: readonly CompiledMigration[], run: RunSettings): Promise<{ steps: AppliedStep[]; interrupted?: Interruption }> {
  if (!compiled.length) return { steps: [] };
  run.log?.(`${run.verb} ${revisionRange(compiled.map((c) => c.migration.revision))} in one transaction …`);
  try {
    const ms = await runInOneTransaction(db, compiled, { timeouts: run.timeouts, signal: run.signal, onRetry: (e) => run.log?.(retryLine(e)) });
    return { steps: compiled.map((c, i) => stepOf(c.migration, ms[i])) };
  } catch (err) {
    if (run.signal?.aborted) {
      const all = compiled.map((c) => c.migration.revision);
      return { steps: [], interrupted: interruptionOf(run.signal, all, [], `the run's one transaction (${revisionRange(all)}) was rolled back; nothing was applied.`) };
    }
    // The run's one transaction was rolled back: nothing of it stays applied.
    if (err instanceof SluiceError) {
      Object.assign(err.details ?? {}, { completed: [] });
      if (!err.hint?.startsWith("Nothing of this run")) err.message += "\nThe run was one transaction (--single-transaction), rolled back: nothing of it was applied.";
    }
    throw err;
  }
}

/** `--single-transaction` cannot hold a migration that must run outside a transaction. */
function refuseOutsideTransaction(compiled: readonly CompiledMigration[]): void {
  const outside = compiled.filter((c) => !c.migration.transactional).map((c) => c.migration.file);
  if (!outside.length) return;
  throw new SluiceError("usage", `--single-transaction runs the whole run in one transaction, but ${outside.join(", ")} must run outside one (transactional: false).`, {
    hint: "Run without --single-transaction (each migration then gets its own transaction), or stop at the revision before it with a target.",
  });
}

async function readAppliedCreating(db: Db): Promise<AppliedRevision[]> {
  await db.exec(createVersionTableSql(versionTableOf(db)));
  return readApplied(db);
}

async function compileAll(project: Project, p: Plan, direction: Direction): Promise<CompiledMigration[]> {
  const out: CompiledMigration[] = [];
  for (const r of p.revisions) out.push(await compileMigration(project.chain.get(r)!, direction));
  return out;
}

export interface StampOptions extends CommonOptions {
  /** A revision id or prefix, `head`, or `base`. */
  revision: string;
  lockTimeoutMs?: number;
  /**
   * Re-record the checksum of REV, already applied, from its file as it is
   * now: for a file edited on purpose after it was applied. Nothing else changes.
   */
  updateChecksum?: boolean;
}

export interface StampResult {
  from: string[];
  to: string[];
  database: string;
  /** With `updateChecksum`: the revision whose checksum was re-recorded, and the old and new checksums. */
  checksum?: { revision: string; from: string; to: string };
}

/** Records the database as being at a revision without running any migration. */
export async function stamp(opts: StampOptions): Promise<StampResult> {
  if (!opts.revision) throw new SluiceError("usage", "stamp needs a revision.", { hint: "Use `sluice stamp head`, `sluice stamp base` or a revision id." });
  const project = await openProject(opts);
  const { chain } = project;
  let keep: Set<string>;
  if (opts.revision === "base") keep = new Set();
  else if (opts.revision === "head" || opts.revision === "heads") {
    if (opts.revision === "head" && chain.heads.length > 1) {
      throw new MultipleHeads([...chain.heads], "`stamp head`");
    }
    keep = new Set(chain.heads.flatMap((h) => [...chain.ancestors(h)]));
  } else {
    keep = chain.ancestors(resolveRevision(chain, opts.revision));
  }
  return withDatabase(project, opts, async (db) => {
    await db.advisoryLock(migrationLockKey(versionTableOf(db)), opts.lockTimeoutMs ?? 5 * 60_000, () => opts.log?.("Waiting for another sluice run to release the migration lock …"));
    try {
      const applied = await readAppliedCreating(db);
      const from = appliedHeads(chain, applied.map((a) => a.revision));
      if (opts.updateChecksum) {
        const rev = resolveRevision(chain, opts.revision);
        const row = applied.find((a) => a.revision === rev);
        if (!row) {
          throw new SluiceError("usage", `Revision ${rev} is not applied on ${project.config.database.displayUrl}; there is no checksum to update.`, {
            hint: "--update-checksum re-records an applied migration's file. Apply it with `sluice upgrade`.",
          });
        }
        const m = chain.get(rev)!;
        await db.exec(`UPDATE ${qualifiedVersionTable(versionTableOf(db))} SET checksum = ${quoteLiteral(m.checksum)} WHERE revision = ${quoteLiteral(rev)}`);
        return { from, to: from, database: project.config.database.displayUrl, checksum: { revision: rev, from: row.checksum, to: m.checksum } };
      }
      await db.transaction(async (tx) => {
        for (const a of applied) if (!keep.has(a.revision)) await tx.exec(deleteVersionSql(a.revision, versionTableOf(db)));
        const have = new Set(applied.map((a) => a.revision));
        for (const m of chain.migrations) if (keep.has(m.revision) && !have.has(m.revision)) await tx.exec(insertVersionSql(m, undefined, undefined, versionTableOf(db)));
      });
      return { from, to: appliedHeads(chain, keep), database: project.config.database.displayUrl };
    } finally {
      await db.advisoryUnlock(migrationLockKey(versionTableOf(db))).catch(() => {});
    }
  });
}
