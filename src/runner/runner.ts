import type { Db, LockWait } from "../db/types.js";
import { pgErrorInfo } from "../db/types.js";
import type { Migration, MigrationMeta } from "../chain/files.js";
import type { MigrationTimeouts } from "../config/timeouts.js";
import { MigrationFileError } from "../chain/errors.js";
import type { Op } from "../ops/types.js";
import { renderOp } from "../ops/definitions.js";
import { quoteQualified } from "../ops/quote.js";
import { splitStatements, SqlSyntaxError } from "../sql/parse.js";
import { DatabaseError, SluiceError, ExitCode } from "../errors.js";
import { deleteVersionSql, insertVersionSql, qualifiedVersionTable, versionTableOf, type VersionTable } from "./version-table.js";
import { commentLine } from "../text.js";

export type Direction = "upgrade" | "downgrade";

/** One SQL statement of a migration, with where it came from. */
export interface CompiledStatement {
  readonly sql: string;
  /** Line in the migration file, when the statement was written as SQL there. */
  readonly line?: number;
  /** Index of the op it was rendered from. */
  readonly opIndex: number;
  readonly opKind: Op["kind"];
}

export interface CompiledMigration {
  readonly migration: Migration;
  readonly direction: Direction;
  readonly ops: readonly Op[];
  readonly statements: readonly CompiledStatement[];
}

/** Renders one direction of a migration to statements; raw SQL is split by PostgreSQL's parser. */
export async function compileMigration(migration: Migration, direction: Direction): Promise<CompiledMigration> {
  const { ops } = await migration[direction]();
  const statements: CompiledStatement[] = [];
  for (const [opIndex, op] of ops.entries()) {
    if (op.kind === "execute") {
      let parts;
      try {
        parts = await splitStatements(op.sql, op.line ?? 1);
      } catch (err) {
        if (err instanceof SqlSyntaxError) {
          throw new MigrationFileError(
            migration.file,
            `${direction}: SQL does not parse: ${err.message}`,
            "Fix the SQL; nothing was applied.",
            op.line !== undefined ? err.line : undefined,
          );
        }
        throw err;
      }
      for (const p of parts) statements.push({ sql: p.sql, line: op.line !== undefined ? p.line : undefined, opIndex, opKind: op.kind });
    } else {
      for (const sql of renderOp(op)) statements.push({ sql, opIndex, opKind: op.kind });
    }
  }
  return { migration, direction, ops, statements };
}

/** A statement PostgreSQL rejected while a migration ran. */
export class MigrationFailed extends DatabaseError {
  constructor(message: string, hint: string, details: Record<string, unknown>) {
    super("migration-failed", message, { hint, details });
  }
}

/** A backfill assertion (`verify`) that found violating rows. */
export class VerificationFailed extends SluiceError {
  constructor(message: string, details: Record<string, unknown>) {
    super("verify-failed", message, { exitCode: ExitCode.problems, hint: "Fix the backfill in the migration; nothing of it was applied.", details });
  }
}

export type RunEvent =
  | { type: "start"; revision: string; direction: Direction; message: string }
  | { type: "done"; revision: string; direction: Direction; ms: number };

export interface RunOptions {
  onEvent?: (e: RunEvent) => void;
  /**
   * Called after the migration's statements, inside its transaction when it has
   * one (its locks are still held), before the version table is written.
   */
  beforeCommit?: (db: Db, c: CompiledMigration) => Promise<void>;
  /**
   * Commit without waiting for the server to flush its log. For every
   * migration of a run but the last: the log is flushed in order, so the run's
   * last synchronous commit (or `flushCommits`) makes the earlier ones durable
   * too, and a crash in between can only lose whole migrations together with
   * their version rows.
   */
  asyncCommit?: boolean;
  /** The lock_timeout and statement_timeout it runs under (none when undefined). */
  timeouts?: MigrationTimeouts;
  /**
   * Send a transactional migration's statements one at a time instead of as
   * one script, so a failure that carries no position (a lock timeout) still
   * names its statement.
   */
  stepwise?: boolean;
}

/**
 * Runs one compiled migration and records it in the version table. A
 * transactional migration runs in one transaction with its version-table write,
 * so a failure leaves both exactly as they were. A non-transactional one runs
 * statement by statement and is recorded only after its last statement.
 */
export async function runMigration(db: Db, c: CompiledMigration, opts: RunOptions = {}): Promise<number> {
  const m = c.migration;
  const started = performance.now();
  opts.onEvent?.({ type: "start", revision: m.revision, direction: c.direction, message: m.message });
  if (m.transactional) await runInTransaction(db, c, opts);
  else await runStatementByStatement(db, c, opts, started);
  const ms = performance.now() - started;
  opts.onEvent?.({ type: "done", revision: m.revision, direction: c.direction, ms });
  return ms;
}

/**
 * Marks when a migration starts, for its version row's time. Not now(): in a
 * script of several transactions every one of them starts at the script's
 * arrival, so now() would make each migration's time cumulative.
 */
const MARK_START = "SELECT set_config('sluice.started', clock_timestamp()::text, true) AS sluice_mark";
const SINCE_MARK_MS = "(extract(epoch FROM clock_timestamp() - current_setting('sluice.started')::timestamptz) * 1000)::integer";

/**
 * The timeouts a migration runs under, as settings: the config's lock_timeout
 * (unless 0), and its own statement_timeout or else the config's.
 */
function timeoutSettings(m: MigrationMeta, t: MigrationTimeouts | undefined): [name: string, ms: number][] {
  if (!t) return [];
  const out: [string, number][] = [];
  if (t.lockTimeoutMs > 0) out.push(["lock_timeout", t.lockTimeoutMs]);
  if (m.statementTimeoutMs !== undefined) out.push(["statement_timeout", m.statementTimeoutMs]);
  else if (t.statementTimeoutMs) out.push(["statement_timeout", t.statementTimeoutMs]);
  return out;
}

/**
 * The SET statements that start a migration, before its own statements so
 * that a SET of its own wins: SET LOCAL inside its transaction, a session SET
 * (RESET after, see `resetTimeoutsSql`) outside one.
 */
export function setTimeoutsSql(m: MigrationMeta, t: MigrationTimeouts | undefined, local: boolean): string[] {
  return timeoutSettings(m, t).map(([name, ms]) => `SET ${local ? "LOCAL " : ""}${name} = '${Math.round(ms)}ms'`);
}

function resetTimeoutsSql(m: MigrationMeta, t: MigrationTimeouts | undefined): string[] {
  return timeoutSettings(m, t).map(([name]) => `RESET ${name}`);
}

/** BEGIN and what every migration's transaction starts with: the commit mode, the timeouts, the start mark. */
function beginMigration(script: Script, c: CompiledMigration, asyncCommit: boolean, timeouts: MigrationTimeouts | undefined): void {
  script.add("BEGIN");
  if (asyncCommit) script.add("SET LOCAL synchronous_commit = off");
  for (const sql of setTimeoutsSql(c.migration, timeouts, true)) script.add(sql);
  script.add(MARK_START);
}

/**
 * A transactional migration's statements, its version-table write and COMMIT
 * go to the server as one script: one round trip instead of one per
 * statement. Only a migration with backfill assertions or a `beforeCommit`
 * hook stops before its commit, to run them while its locks are held; one
 * run `stepwise` sends its statements one at a time.
 */
async function runInTransaction(db: Db, c: CompiledMigration, opts: RunOptions): Promise<void> {
  const stopBeforeCommit = opts.stepwise || opts.beforeCommit !== undefined || (c.direction === "upgrade" && c.migration.verify !== undefined);
  if (!stopBeforeCommit) {
    const { error } = await runScript(db, [c], () => opts.asyncCommit === true, opts.timeouts);
    if (error) throw error;
    return;
  }
  const script = new Script();
  beginMigration(script, c, opts.asyncCommit === true, opts.timeouts);
  if (!opts.stepwise) for (const s of c.statements) script.add(s.sql, { index: 0, statement: s });
  try {
    const { error } = await execScript(db, [c], script);
    if (error) throw error;
    if (opts.stepwise) for (const s of c.statements) await runStatement(db, c, s, []);
    if (c.direction === "upgrade") await checkAssertions(db, c);
    await opts.beforeCommit?.(db, c);
    await db.exec(`${recordReturningTime(c, versionTableOf(db))};\nCOMMIT`);
  } catch (err) {
    await db.exec("ROLLBACK").catch(() => {});
    throw err;
  }
}

/**
 * Whether a migration can share a round trip with its neighbours: it runs in
 * one transaction and nothing has to run between its statements and its commit.
 */
function sharesRoundTrip(c: CompiledMigration): boolean {
  return c.migration.transactional && !(c.direction === "upgrade" && c.migration.verify);
}

/**
 * How many migrations go to the server in one script. Fewer round trips save
 * little beyond a few dozen migrations; the size cap keeps one large data
 * migration from dragging its neighbours into a huge script.
 */
const ROUND_TRIP = { migrations: 100, chars: 256 * 1024 };

/**
 * Embedded PGlite has no round trip to save: 200 small migrations took 1.5 s
 * one per call and 1.8 s a hundred per call. One at a time also lets an
 * interrupt, which can only be seen between calls, stop between migrations.
 */
function migrationsPerRoundTrip(db: Db): number {
  return db.kind === "pglite" ? 1 : ROUND_TRIP.migrations;
}

export interface RunAllOptions {
  /** Called before each round trip with the migrations it runs, in order. */
  onRoundTrip?: (batch: readonly CompiledMigration[]) => void;
  /**
   * Commit every migration but the last without waiting for the server to
   * flush its log (see `RunOptions.asyncCommit`).
   */
  asyncCommit?: boolean;
  /** lock_timeout, statement_timeout and how often to retry a migration that timed out on a lock. */
  timeouts?: MigrationTimeouts;
  /** Told before a migration that timed out on a lock runs again. */
  onRetry?: (e: RetryEvent) => void;
  /**
   * Stops the run: no migration starts after it is aborted, and the one
   * running is cancelled on the server (the caller cancels it through
   * `db.cancel()`) and rolled back. The run then ends with `RunInterrupted`.
   */
  signal?: AbortSignal;
}

export interface RetryEvent {
  readonly migration: CompiledMigration;
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly retries: number;
  readonly delayMs: number;
  /** The lock it waited for, when it was seen. */
  readonly lockWait?: LockWait;
}

/** The run was stopped (`signal`); `inFlight` is the migration that was running and rolled back, if one was. */
export class RunInterrupted extends SluiceError {
  constructor(
    readonly inFlight: CompiledMigration | undefined,
    cause?: unknown,
  ) {
    super("interrupted", "The run was interrupted.", { exitCode: ExitCode.database, cause });
  }
}

export interface RunAllResult {
  /**
   * The migrations that ran and were recorded, in order, with the time each
   * took; no time for those committed in a script that failed further on (its
   * answer is lost with the error).
   */
  readonly done: { readonly migration: CompiledMigration; readonly ms?: number }[];
  /** Why the run stopped before the end: the migration after the last one done failed. */
  readonly error?: unknown;
}

/**
 * Runs migrations in order, each in its own transaction (or none, with
 * `transactional: false`), stopping at the first failure. Consecutive
 * transactional migrations go to the server together, each in its own
 * BEGIN … COMMIT in one script: PostgreSQL stops a script at its first error,
 * so the migrations before the failing one stay committed and the ones after
 * it never start, as if they had been sent one at a time.
 */
export async function runMigrations(db: Db, compiled: readonly CompiledMigration[], opts: RunAllOptions = {}): Promise<RunAllResult> {
  const done: { migration: CompiledMigration; ms?: number }[] = [];
  const last = compiled.length - 1;
  const perRoundTrip = migrationsPerRoundTrip(db);
  const { timeouts, signal } = opts;
  // Retries of the migration at `retrying`, which then runs alone and statement by statement.
  let retrying = -1;
  let attempts = 0;
  let i = 0;
  while (i < compiled.length) {
    if (signal) await nextTurn();
    if (signal?.aborted) return { done, error: new RunInterrupted(undefined) };
    const batch = [compiled[i]];
    if (sharesRoundTrip(compiled[i]) && i !== retrying) {
      let chars = scriptChars(compiled[i]);
      while (i + batch.length < compiled.length && batch.length < perRoundTrip) {
        const next = compiled[i + batch.length];
        chars += scriptChars(next);
        if (!sharesRoundTrip(next) || chars > ROUND_TRIP.chars) break;
        batch.push(next);
      }
    }
    opts.onRoundTrip?.(batch);
    const first = i;
    const watch = timeouts ? db.watchLockWait?.() : undefined;
    let committed = batch.length;
    let error: unknown;
    let lockWait: LockWait | undefined;
    try {
      if (batch.length === 1 && (!sharesRoundTrip(batch[0]) || i === retrying)) {
        try {
          const asyncCommit = opts.asyncCommit && first < last && batch[0].migration.transactional;
          const ms = await runMigration(db, batch[0], { asyncCommit, timeouts, stepwise: i === retrying });
          done.push({ migration: batch[0], ms });
        } catch (err) {
          [committed, error] = [0, err];
        }
      } else {
        const r = await runScript(db, batch, (k) => opts.asyncCommit === true && first + k < last, timeouts);
        batch.slice(0, r.committed).forEach((migration, k) => done.push({ migration, ms: r.ms[k] }));
        [committed, error] = [r.committed, r.error];
      }
    } finally {
      lockWait = await watch?.stop();
    }
    if (error !== undefined) {
      const failed = batch[committed];
      if (signal?.aborted) return { done, error: new RunInterrupted(failed, error) };
      if (!isLockTimeout(error)) return { done, error };
      const k = first + committed;
      attempts = k === retrying ? attempts + 1 : 1;
      const retries = timeouts?.lockTimeoutRetries ?? 0;
      if (attempts > retries || !retryable(failed, error)) return { done, error: lockTimeoutError(failed, error, lockWait, timeouts, attempts) };
      const delayMs = retryDelay(attempts);
      opts.onRetry?.({ migration: failed, attempt: attempts, retries, delayMs, lockWait });
      if (!(await sleep(delayMs, signal))) return { done, error: new RunInterrupted(failed, error) };
      retrying = k;
      i = k;
      continue;
    }
    i += batch.length;
  }
  return { done };
}

/**
 * Lets pending events run, a signal among them: embedded PGlite answers
 * through promises alone, so a run on it would otherwise never give the event
 * loop a turn and a Ctrl-C would only be seen once every migration ran.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isLockTimeout(err: unknown): err is MigrationFailed {
  return err instanceof MigrationFailed && err.details?.pgCode === "55P03";
}

/** A migration outside a transaction can run again only when none of its statements had run (and stayed applied). */
function retryable(c: CompiledMigration, err: MigrationFailed): boolean {
  if (c.migration.transactional) return true;
  const d = err.details ?? {};
  return !(d.statementsRun as unknown[] | undefined)?.length && !(d.invalidIndexes as unknown[] | undefined)?.length;
}

/** Exponential backoff with jitter, so runs retrying at once do not queue up on the lock together: about 0.5 s, 1 s, 2 s … at most 10 s. */
function retryDelay(attempt: number): number {
  return Math.round(Math.min(10_000, 500 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
}

/** Waits `ms`; false when `signal` aborted it first. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** "5 s" or "500 ms". */
function duration(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;
}

/** What a lock wait was, for a person: the lock, the table and who held it. */
function describeLockWait(wait: LockWait | undefined): string {
  if (!wait) return "Sluice did not see which session held the lock (it could not watch the wait from a second connection).";
  const on = wait.relation ? `table ${wait.relation}` : `a ${wait.lockType} lock`;
  const lines = [`It waited for ${wait.mode} on ${on}, held by:`];
  for (const b of wait.blockers) {
    const open = b.transactionSeconds !== undefined ? `, transaction open ${b.transactionSeconds} s` : "";
    const app = b.applicationName ? `, application ${JSON.stringify(b.applicationName)}` : "";
    lines.push(`    backend pid ${b.pid} (${b.state}${open}${app}): ${b.query || "(no query)"}`);
  }
  return lines.join("\n");
}

/** The final lock timeout of a migration, naming the lock, the table and the sessions that held it. */
function lockTimeoutError(
  c: CompiledMigration,
  err: MigrationFailed,
  wait: LockWait | undefined,
  timeouts: MigrationTimeouts | undefined,
  attempts: number,
  wholeRun = false,
): MigrationFailed {
  const d = err.details ?? {};
  const limit = timeouts?.lockTimeoutMs ? ` (lock_timeout ${duration(timeouts.lockTimeoutMs)}${attempts > 1 ? " each" : ""})` : "";
  const tries = attempts > 1 ? ` after ${attempts} attempts` : "";
  const pids = wait?.blockers.map((b) => b.pid) ?? [];
  const stop = pids.length
    ? `End the blocking session${pids.length > 1 ? "s" : ""} or wait for ${pids.length > 1 ? "them" : "it"} to finish (SELECT pg_terminate_backend(${pids[0]}) ends one that is stuck)`
    : "Find what holds the lock (pg_locks, pg_stat_activity) and end it or wait for it";
  return new MigrationFailed(
    `${err.message}\nIt gave up waiting for a lock${tries}${limit}. ${describeLockWait(wait)}`,
    `${wholeRun ? "Nothing of this run was applied: its one transaction (--single-transaction) was rolled back." : c.migration.transactional ? `Nothing of ${c.migration.revision} was applied: its transaction was rolled back.` : err.hint} ${stop}, then run the command again; or raise lockTimeout / lockTimeoutRetries in sluice.config.ts.`,
    { ...d, attempts, lockTimeoutMs: timeouts?.lockTimeoutMs, lockWait: wait },
  );
}

function scriptChars(c: CompiledMigration): number {
  let n = 200;
  for (const s of c.statements) n += s.sql.length + 3;
  return n;
}

/**
 * Runs transactional migrations as one script, each in its own transaction
 * with its version-table write. Resolves to how many committed, the time each
 * took as the server measured it (when the script succeeded) and the error
 * that stopped the script, if one did.
 */
async function runScript(
  db: Db,
  batch: readonly CompiledMigration[],
  asyncCommit: (index: number) => boolean,
  timeouts: MigrationTimeouts | undefined,
): Promise<{ committed: number; ms: number[]; error?: unknown }> {
  const script = new Script();
  batch.forEach((c, index) => {
    beginMigration(script, c, asyncCommit(index), timeouts);
    for (const s of c.statements) script.add(s.sql, { index, statement: s });
    script.add(recordReturningTime(c, versionTableOf(db)), { index });
    script.add("COMMIT");
  });
  const { rows, error, failed } = await execScript(db, batch, script);
  if (error) return { committed: failed ?? 0, ms: [], error };
  return { committed: batch.length, ms: recordedTimes(rows) };
}

/**
 * The version-table write of a migration, returning its time since its
 * MARK_START as `sluice_ms`; an applied migration is recorded at the moment
 * it ends.
 */
function recordReturningTime(c: CompiledMigration, t: VersionTable): string {
  return c.direction === "upgrade"
    ? `${insertVersionSql(c.migration, SINCE_MARK_MS, "clock_timestamp()", t)} RETURNING execution_ms AS sluice_ms`
    : `${deleteVersionSql(c.migration.revision, t)} RETURNING ${SINCE_MARK_MS} AS sluice_ms`;
}

/** The times a script's version-table writes returned, in order; a migration's own statements may return rows too, but none named sluice_ms. */
function recordedTimes(rows: readonly Record<string, unknown>[]): number[] {
  return rows.filter((row) => "sluice_ms" in row).map((row) => Number(row.sluice_ms));
}

/** Where a script's statements come from: the migration (by index in its batch) and, for one of its own statements, which. */
interface ScriptSource {
  readonly index: number;
  readonly statement?: CompiledStatement;
}

/** SQL statements joined into one script, remembering where each one starts. */
class Script {
  text = "";
  private readonly parts: { start: number; end: number; source?: ScriptSource }[] = [];

  /** A statement may end in a line comment, so its semicolon goes on a line of its own. */
  add(sql: string, source?: ScriptSource): void {
    const start = this.text.length;
    this.text += `${sql}\n;\n`;
    this.parts.push({ start, end: start + sql.length, source });
  }

  /** The statement a 1-based character position reported by PostgreSQL falls in, and the position within it. */
  locate(position: number): { index: number; statement?: CompiledStatement; position: number } | undefined {
    const at = codeUnitIndex(this.text, position - 1);
    const part = this.parts.find((p) => at >= p.start && at <= p.end);
    if (!part?.source) return undefined;
    return { ...part.source, position: [...this.text.slice(part.start, at)].length + 1 };
  }
}

/** PostgreSQL counts characters; JavaScript strings count UTF-16 code units. */
function codeUnitIndex(text: string, chars: number): number {
  let i = 0;
  for (let n = 0; n < chars && i < text.length; n++) i += (text.codePointAt(i) ?? 0) > 0xffff ? 2 : 1;
  return i;
}

/** SQLSTATE classes of failures that depend on the moment, not on a statement: running the statements again would not tell which one is at fault. */
const TRANSIENT = /^(08|40|53|55P03|57)/;

/**
 * Sends a script and, when it fails, rolls back the open transaction and
 * works out which migration of the batch failed (`failed`, its index: the
 * ones before it committed) and why, naming the statement where it can.
 */
async function execScript(
  db: Db,
  batch: readonly CompiledMigration[],
  script: Script,
): Promise<{ rows: Record<string, unknown>[]; error?: unknown; failed?: number }> {
  try {
    return { rows: await db.exec(script.text) };
  } catch (err) {
    await db.exec("ROLLBACK").catch(() => {});
    const info = pgErrorInfo(err);
    const at = info?.position !== undefined ? script.locate(info.position) : undefined;
    const failed = at?.index ?? (batch.length === 1 ? 0 : await firstUnrecorded(db, batch));
    if (failed === undefined) return { rows: [], error: unknownOutcome(batch, err), failed: 0 };
    const c = batch[failed];
    if (!info) return { rows: [], error: err, failed };
    if (at?.statement) return { rows: [], error: statementError(c, at.statement, err, [], at.position), failed };
    const found = TRANSIENT.test(info.code ?? "") ? undefined : await failingStatement(db, [c]);
    return { rows: [], error: found ?? migrationError(c, err), failed };
  }
}

/** The first migration of a batch whose version-table write did not commit, read back from the table. */
async function firstUnrecorded(db: Db, batch: readonly CompiledMigration[]): Promise<number | undefined> {
  try {
    const r = await db.query<{ revision: string }>(`SELECT revision FROM ${qualifiedVersionTable(versionTableOf(db))} WHERE revision = ANY($1::text[])`, [
      batch.map((c) => c.migration.revision),
    ]);
    const recorded = new Set(r.rows.map((row) => row.revision));
    const i = batch.findIndex((c) => (c.direction === "upgrade") !== recorded.has(c.migration.revision));
    return i < 0 ? undefined : i;
  } catch {
    return undefined;
  }
}

/** The error for a batch that failed where the version table cannot be read back (the connection is gone). */
function unknownOutcome(batch: readonly CompiledMigration[], err: unknown): Error {
  const info = pgErrorInfo(err);
  const revisions = batch.map((c) => c.migration.revision);
  const why = info ? `PostgreSQL ${info.code}: ${info.message}` : (err as Error).message;
  return new MigrationFailed(
    `Revisions ${revisionRange(revisions)} were sent together, each in its own transaction, and the run failed (${why}); the version table could not be read back to tell which of them committed.`,
    "Run `sluice current` once the database is reachable: it shows what was applied. Then run the command again.",
    { revision: revisions[0], revisions, pgCode: info?.code, pgMessage: info?.message ?? (err as Error).message, statementsRun: [] },
  );
}

/** `004`, or `004 to 010 (7 migrations)`. */
export function revisionRange(revisions: readonly string[]): string {
  return revisions.length > 1 ? `${revisions[0]} to ${revisions[revisions.length - 1]} (${revisions.length} migrations)` : (revisions[0] ?? "");
}

const WHOLE_RUN_HINT =
  "Nothing of this run was applied: it ran in one transaction (--single-transaction), which was rolled back. Fix the migration and run the command again.";

/**
 * Runs every migration of a run in one transaction (`--single-transaction`,
 * the default of Alembic and node-pg-migrate): all of them apply, or none
 * does. Every migration must be transactional. The statements go to the
 * server as one script, except that a migration with backfill assertions ends
 * a script so they run before the next one starts. Resolves to each
 * migration's time, as the server measured it.
 */
export async function runInOneTransaction(
  db: Db,
  compiled: readonly CompiledMigration[],
  opts: Pick<RunAllOptions, "timeouts" | "signal" | "onRetry"> = {},
): Promise<number[]> {
  // A lock timeout rolls the whole run back, so the whole run is what runs again.
  for (let attempt = 1; ; attempt++) {
    const watch = opts.timeouts ? db.watchLockWait?.() : undefined;
    try {
      const ms = await runWholeOnce(db, compiled, opts.timeouts);
      await watch?.stop();
      return ms;
    } catch (err) {
      const lockWait = await watch?.stop();
      if (opts.signal?.aborted || !isLockTimeout(err)) throw err;
      const failed = compiled.find((c) => c.migration.revision === err.details?.revision) ?? compiled[compiled.length - 1];
      const retries = opts.timeouts?.lockTimeoutRetries ?? 0;
      if (attempt > retries) throw lockTimeoutError(failed, err, lockWait, opts.timeouts, attempt, true);
      const delayMs = retryDelay(attempt);
      opts.onRetry?.({ migration: failed, attempt, retries, delayMs, lockWait });
      if (!(await sleep(delayMs, opts.signal))) throw err;
    }
  }
}

async function runWholeOnce(db: Db, compiled: readonly CompiledMigration[], timeouts: MigrationTimeouts | undefined): Promise<number[]> {
  const ms: number[] = [];
  let segment: CompiledMigration[] = [];
  const runSegment = async () => {
    if (!segment.length) return;
    const script = new Script();
    segment.forEach((c, index) => {
      // Each migration's own SET LOCAL would otherwise carry over to the ones after it.
      for (const sql of setTimeoutsSql(c.migration, timeouts, true)) script.add(sql);
      script.add(MARK_START);
      for (const st of c.statements) script.add(st.sql, { index, statement: st });
      script.add(recordReturningTime(c, versionTableOf(db)), { index });
    });
    let rows: Record<string, unknown>[];
    try {
      rows = await db.exec(script.text);
    } catch (err) {
      throw await wholeRunError(db, compiled, segment, script, err);
    }
    ms.push(...recordedTimes(rows));
    segment = [];
  };
  await db.exec("BEGIN");
  try {
    for (const c of compiled) {
      segment.push(c);
      if (c.direction === "upgrade" && c.migration.verify) {
        await runSegment();
        await checkAssertions(db, c);
      }
    }
    await runSegment();
  } catch (err) {
    await db.exec("ROLLBACK").catch(() => {});
    throw err;
  }
  try {
    await db.exec("COMMIT");
  } catch (err) {
    const info = pgErrorInfo(err);
    if (!info) throw err;
    const revisions = compiled.map((c) => c.migration.revision);
    throw new MigrationFailed(
      `The run of ${revisionRange(revisions)} in one transaction failed at COMMIT:\nPostgreSQL ${info.code}: ${info.message}${info.detail ? `\nDetail: ${info.detail}` : ""}`,
      `${WHOLE_RUN_HINT} A failure at COMMIT comes from a deferred constraint or trigger.`,
      { revision: revisions[revisions.length - 1], revisions, pgCode: info.code, pgMessage: info.message, statementsRun: [] },
    );
  }
  return ms;
}

/**
 * The error for a run in one transaction that failed: named by the error's
 * position in the script, else found by running the run's statements again,
 * one at a time, in a transaction that is rolled back.
 */
async function wholeRunError(db: Db, compiled: readonly CompiledMigration[], segment: readonly CompiledMigration[], script: Script, err: unknown): Promise<unknown> {
  const info = pgErrorInfo(err);
  if (!info) return err;
  await db.exec("ROLLBACK").catch(() => {});
  const at = info.position !== undefined ? script.locate(info.position) : undefined;
  if (at?.statement) return statementError(segment[at.index], at.statement, err, [], at.position, WHOLE_RUN_HINT);
  const failed = segment[segment.length - 1];
  // Everything of the run up to the failed script ran in the transaction: run it all again.
  const upTo = compiled.slice(0, compiled.indexOf(failed) + 1);
  const found = TRANSIENT.test(info.code ?? "") ? undefined : await failingStatement(db, upTo, WHOLE_RUN_HINT);
  return found ?? migrationError(failed, err, WHOLE_RUN_HINT);
}

/**
 * Finds the statement PostgreSQL rejected by running the migrations'
 * statements again, in order, one at a time, in a transaction that is always
 * rolled back, so the error can name its line.
 */
async function failingStatement(db: Db, migrations: readonly CompiledMigration[], wholeRunHint?: string): Promise<Error | undefined> {
  try {
    await db.exec("BEGIN");
    for (const c of migrations) {
      for (const s of c.statements) {
        try {
          await db.exec(s.sql);
        } catch (err) {
          return pgErrorInfo(err) ? statementError(c, s, err, [], undefined, wholeRunHint) : undefined;
        }
      }
    }
    return undefined;
  } catch {
    // The statements could not be run again: the caller reports the error as it came.
    return undefined;
  } finally {
    await db.exec("ROLLBACK").catch(() => {});
  }
}

async function runStatementByStatement(db: Db, c: CompiledMigration, opts: RunOptions, started: number): Promise<void> {
  const settings = setTimeoutsSql(c.migration, opts.timeouts, false);
  if (settings.length) await db.exec(settings.join(";\n"));
  try {
    await runEachStatement(db, c, opts, started);
  } finally {
    if (settings.length) await db.exec(resetTimeoutsSql(c.migration, opts.timeouts).join(";\n")).catch(() => {});
  }
}

async function runEachStatement(db: Db, c: CompiledMigration, opts: RunOptions, started: number): Promise<void> {
  const m = c.migration;
  const invalidBefore = await invalidIndexes(db);
  const ran: CompiledStatement[] = [];
  for (const s of c.statements) {
    try {
      await runStatement(db, c, s, ran);
    } catch (err) {
      if (err instanceof MigrationFailed) {
        const invalid = (await invalidIndexes(db).catch(() => [])).filter((i) => !invalidBefore.includes(i));
        if (invalid.length) {
          (err.details as Record<string, unknown>).invalidIndexes = invalid;
          err.message += `\nIt left behind the INVALID index${invalid.length > 1 ? "es" : ""} ${invalid.join(", ")}: drop ${invalid.length > 1 ? "them" : "it"} (DROP INDEX CONCURRENTLY) before running it again.`;
        }
      }
      throw err;
    }
    ran.push(s);
  }
  if (c.direction === "upgrade") await checkAssertions(db, c);
  await opts.beforeCommit?.(db, c);
  await db.exec(c.direction === "upgrade" ? insertVersionSql(m, performance.now() - started, undefined, versionTableOf(db)) : deleteVersionSql(m.revision, versionTableOf(db)));
}

/**
 * Makes every earlier commit of this session durable: a synchronous commit that
 * writes to the log flushes it up to its own record, and so past every
 * asynchronous commit before it. Used when a run stops after an asynchronous
 * commit. Rewriting one version row unchanged is the smallest such write.
 */
export async function flushCommits(db: Db): Promise<void> {
  const table = qualifiedVersionTable(versionTableOf(db));
  await db.exec(`BEGIN;\nUPDATE ${table} SET execution_ms = execution_ms WHERE revision = (SELECT max(revision) FROM ${table});\nCOMMIT`);
}

async function runStatement(db: Db, c: CompiledMigration, s: CompiledStatement, ran: readonly CompiledStatement[]): Promise<void> {
  try {
    await db.exec(s.sql);
  } catch (err) {
    throw statementError(c, s, err, ran);
  }
}

/**
 * The error for a statement PostgreSQL rejected, naming its file and line.
 * `position` is where in the statement the error is, when PostgreSQL reported
 * it relative to a longer script.
 */
function statementError(c: CompiledMigration, s: CompiledStatement, err: unknown, ran: readonly CompiledStatement[], position?: number, wholeRunHint?: string): Error {
  const reported = pgErrorInfo(err);
  if (!reported) return err as Error;
  const info = position === undefined ? reported : { ...reported, position };
  const m = c.migration;
  let line = s.line;
  let column: number | undefined;
  if (info.position !== undefined) {
    const before = s.sql.slice(0, info.position - 1);
    const nl = before.split("\n");
    column = nl[nl.length - 1].length + 1;
    if (line !== undefined) line += nl.length - 1;
  }
  const where = line !== undefined ? `${m.file}:${line}` : `${m.file}, ${c.direction}() op #${s.opIndex + 1} (${s.opKind})`;
  const stmt = s.sql.length > 400 ? `${s.sql.slice(0, 400)} …` : s.sql;
  const lines = [
    `${c.direction === "upgrade" ? "Upgrade" : "Downgrade"} of revision ${m.revision} failed at ${where}:`,
    indent(stmt),
    `PostgreSQL ${info.code}: ${info.message}${column !== undefined ? ` (line ${line ?? "?"}, column ${column})` : ""}`,
  ];
  if (info.detail) lines.push(`Detail: ${info.detail}`);
  if (info.hint) lines.push(`Hint: ${info.hint}`);
  let hint: string;
  if (wholeRunHint) {
    hint = wholeRunHint;
  } else if (c.migration.transactional) {
    hint = `Nothing of ${m.revision} was applied: its transaction was rolled back. Fix the migration and run the command again.`;
  } else {
    lines.push(
      ran.length
        ? `This migration runs outside a transaction; ${ran.length} statement(s) already ran and stay applied:\n${ran.map((r) => indent(r.sql.split("\n")[0])).join("\n")}`
        : "No statement of this migration had run yet.",
    );
    hint = `Revision ${m.revision} was not recorded as applied. Undo or skip the statements that already ran, fix the migration, and run the command again.`;
  }
  return new MigrationFailed(lines.join("\n"), hint, {
    revision: m.revision,
    file: m.file,
    direction: c.direction,
    line,
    column,
    statement: s.sql,
    pgCode: info.code,
    pgMessage: info.message,
    position: info.position,
    statementsRun: ran.map((r) => r.sql),
  });
}

/** The error for a transactional migration that failed where no single statement can be blamed (a lock timeout, a lost connection, a deferred constraint at COMMIT). */
function migrationError(c: CompiledMigration, err: unknown, wholeRunHint?: string): Error {
  const info = pgErrorInfo(err)!;
  const m = c.migration;
  const lines = [`${c.direction === "upgrade" ? "Upgrade" : "Downgrade"} of revision ${m.revision} (${m.file}) failed:`, `PostgreSQL ${info.code}: ${info.message}`];
  if (info.detail) lines.push(`Detail: ${info.detail}`);
  if (info.hint) lines.push(`Hint: ${info.hint}`);
  const next = TRANSIENT.test(info.code ?? "")
    ? "Run the command again once the cause is gone."
    : "Each of its statements succeeds when run again, so the error came at COMMIT (a deferred constraint or trigger): fix the migration, then run the command again.";
  return new MigrationFailed(lines.join("\n"), wholeRunHint ?? `Nothing of ${m.revision} was applied: its transaction was rolled back. ${next}`, {
    revision: m.revision,
    file: m.file,
    direction: c.direction,
    pgCode: info.code,
    pgMessage: info.message,
    statementsRun: [],
  });
}

function indent(text: string): string {
  return text.split("\n").map((l) => `    ${l}`).join("\n");
}

async function invalidIndexes(db: Db): Promise<string[]> {
  const r = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT i.indisvalid ORDER BY 1`,
  );
  return r.rows.map((row) => row.name);
}

/** Runs a migration's declared backfill assertions; throws `VerificationFailed` on violating rows. */
async function checkAssertions(db: Db, c: CompiledMigration): Promise<void> {
  const v = c.migration.verify;
  if (!v) return;
  for (const target of v.notNull ?? []) {
    const dot = target.lastIndexOf(".");
    if (dot < 0) throw new MigrationFileError(c.migration.file, `verify.notNull entry ${JSON.stringify(target)} must be "table.column".`);
    const table = target.slice(0, dot);
    const column = target.slice(dot + 1);
    const r = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteQualified(table)} WHERE ${quoteQualified(column)} IS NULL`);
    const n = Number(r.rows[0].n);
    if (n > 0) {
      throw new VerificationFailed(`Revision ${c.migration.revision}: ${n} row(s) of ${table} still have ${column} NULL after the upgrade (verify notNull ${target}).`, {
        revision: c.migration.revision,
        assertion: `notNull ${target}`,
        violations: n,
      });
    }
  }
  for (const sql of v.sql ?? []) {
    const r = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${sql}) AS sluice_verify`);
    const n = Number(r.rows[0].n);
    if (n > 0) {
      throw new VerificationFailed(`Revision ${c.migration.revision}: the verify query returned ${n} row(s), expected none: ${sql}`, {
        revision: c.migration.revision,
        assertion: sql,
        violations: n,
      });
    }
  }
}

/**
 * The SQL a run would execute, version-table writes included, as one script
 * (offline mode): a transaction per transactional migration, or one for the
 * whole run with `singleTransaction`.
 */
export function renderOffline(compiled: readonly CompiledMigration[], opts: { createVersionTable?: string; singleTransaction?: boolean; timeouts?: MigrationTimeouts; versionTable?: VersionTable } = {}): string {
  const out: string[] = [];
  if (opts.createVersionTable) out.push(`${opts.createVersionTable};`, "");
  const perMigration = !opts.singleTransaction;
  if (!perMigration) out.push("BEGIN;", "");
  for (const c of compiled) {
    const m = c.migration;
    out.push(commentLine("--", `${c.direction} ${m.revision}${m.message ? `: ${m.message}` : ""} (${m.file})`));
    if (perMigration && m.transactional) out.push("BEGIN;");
    for (const sql of setTimeoutsSql(m, opts.timeouts, m.transactional)) out.push(`${sql};`);
    for (const s of c.statements) out.push(`${s.sql};`);
    if (!m.transactional) for (const sql of resetTimeoutsSql(m, opts.timeouts)) out.push(`${sql};`);
    out.push(`${c.direction === "upgrade" ? insertVersionSql(m, undefined, undefined, opts.versionTable) : deleteVersionSql(m.revision, opts.versionTable)};`);
    if (perMigration && m.transactional) out.push("COMMIT;");
    out.push("");
  }
  if (!perMigration) out.push("COMMIT;");
  return out.join("\n");
}
