import { setFlagsFromString } from "node:v8";
import { Command, CommanderError, Option } from "commander";
import { SluiceError, ExitCode } from "../errors.js";
import { pgErrorInfo } from "../db/types.js";
import { redactText, redactValue, rememberConnectionString } from "../db/url.js";
import { SLUICE_VERSION } from "../version.js";
import * as render from "./render.js";

interface GlobalOptions {
  config?: string;
  url?: string;
  json?: boolean;
}

/** Prints a result as JSON (--json) or as text; `problems` makes the exit code 1. */
function output(json: boolean | undefined, result: unknown, text: () => string, problems = false): void {
  // JSON documents carry messages and file text: no password in them, whatever they quote.
  process.stdout.write(json ? `${JSON.stringify(redactValue(result), null, 2)}\n` : `${text()}\n`);
  if (problems) resultCode = ExitCode.problems;
}

const log = (line: string) => process.stderr.write(`${redactText(line)}\n`);

/** Set by a command that ran and found problems (exit 1) without throwing, or was stopped by a signal (130, 143). */
let resultCode: number = ExitCode.ok;

/**
 * SIGINT and SIGTERM during a run abort it: the running statement is
 * cancelled and rolled back, the lock released, what was applied printed,
 * and the exit code is 130 or 143. A second signal, or a stop that takes
 * longer than a few seconds, exits at once.
 */
function stopOnSignals() {
  const controller = new AbortController();
  let code: number | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (code !== undefined) process.exit(code);
    code = sig === "SIGINT" ? 130 : 143;
    log(`${sig}: stopping (cancelling the running statement, rolling it back, releasing the lock); ${sig === "SIGINT" ? "Ctrl-C" : "a signal"} again exits at once.`);
    controller.abort(sig);
    const giveUp = (armed: number) => {
      setTimeout(() => {
        // Late by much: embedded PGlite was running a migration in this process, which stops
        // only between migrations; exiting now would leave its data directory mid-write.
        if (performance.now() - armed > STOP_WAIT_MS + 1000) return giveUp(performance.now());
        log(`Did not stop within ${STOP_WAIT_MS / 1000} s; exiting. The server rolls back what was still running when the connection closes.`);
        process.exit(code);
      }, STOP_WAIT_MS).unref();
    };
    giveUp(performance.now());
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    /** Once the run has returned: signals act as usual again. */
    release() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
    /** Says what an interrupted run did, and makes the exit code the signal's. */
    finish(r: { interrupted?: { message: string } }) {
      if (r.interrupted) log(`${r.interrupted.message} The migration lock is released.`);
      if (code !== undefined) resultCode = code;
    },
  };
}

const STOP_WAIT_MS = 5000;

function common(cmd: Command) {
  const o = cmd.optsWithGlobals() as GlobalOptions;
  return { config: o.config, url: o.url, log, json: o.json };
}

/** The `sluice` command line: argument parsing and printing only; the work is in ../commands. */
export function buildProgram(): Command {
  const program = new Command("sluice")
    .description("PostgreSQL migrations for TypeScript: chain, autogenerate, check, verify, apply.")
    .version(SLUICE_VERSION, "-V, --version")
    .option("-c, --config <file>", "config file (default: sluice.config.ts here or above)")
    .option("-u, --url <url>", "database URL (overrides DATABASE_URL and the config)")
    .option("--json", "print one JSON document on stdout")
    .showHelpAfterError()
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();

  program
    .command("init")
    .description("write sluice.config.ts and migrations/")
    .option("--database <url>", "database URL to write into the config")
    .option("--migrations <dir>", "migrations folder", "./migrations")
    .action(async (o: { database?: string; migrations: string }, cmd: Command) => {
      const { init } = await import("../commands/init.js");
      const r = await init({ database: o.database, migrations: o.migrations });
      output(common(cmd).json, r, () => render.renderInit(r, process.cwd()));
    });

  program
    .command("revision")
    .description("write the next migration file after the current head")
    .requiredOption("-m, --message <message>", "what the migration does")
    .option("--sql", "write a .sql migration instead of .ts")
    .option("--autogenerate", "write the ops that turn the database into the model (config `schema`)")
    .option("--from-chain", "with --autogenerate: compare the model with the chain replayed on embedded PGlite, not the database")
    .option("--rename <old=new>", "with --autogenerate: a rename, table.column=new_column or table=new_table (repeatable)", collect, [])
    .option("--dev-url <url>", "with --autogenerate: an empty database on the target's PostgreSQL version to compile the model in")
    .option("--safe <true|false>", "with --autogenerate: the lock-safe form for existing tables (CONCURRENTLY, NOT VALID then VALIDATE); false writes the plain form", parseBoolean)
    .action(async (o: { message: string; sql?: boolean; autogenerate?: boolean; fromChain?: boolean; rename: string[]; devUrl?: string; safe?: boolean }, cmd: Command) => {
      if (o.autogenerate) {
        if (o.sql) throw new SluiceError("usage", "--autogenerate writes a .ts migration; leave out --sql.");
        const { autogenerate } = await import("../commands/autogenerate.js");
        const c = common(cmd);
        const interactive = !c.json && process.stdin.isTTY && process.stderr.isTTY;
        const r = await autogenerate({ ...c, message: o.message, fromChain: o.fromChain, renames: o.rename, devUrl: o.devUrl, safe: o.safe, confirmRename: interactive ? askRename : undefined });
        output(c.json, r, () => render.renderAutogenerate(r));
        return;
      }
      if (o.fromChain || o.rename.length || o.devUrl || o.safe !== undefined) throw new SluiceError("usage", "--from-chain, --rename, --dev-url and --safe go with --autogenerate.");
      const { revision } = await import("../commands/revision.js");
      const r = await revision({ ...common(cmd), message: o.message, sql: o.sql });
      output(common(cmd).json, r, () => render.renderRevision(r));
    });

  program
    .command("diff")
    .description("differences between the model (config `schema`) and the database; exit 1 when there are any")
    .option("--from-chain", "compare the model with the chain replayed on embedded PGlite, not the database")
    .option("--dev-url <url>", "an empty database on the target's PostgreSQL version to compile the model in")
    .action(async (o: { fromChain?: boolean; devUrl?: string }, cmd: Command) => {
      const { diff } = await import("../commands/diff.js");
      const c = common(cmd);
      const r = await diff({ ...c, fromChain: o.fromChain, devUrl: o.devUrl });
      output(c.json, r, () => render.renderDiff(r), r.drift);
    });

  program
    .command("merge")
    .description("write a merge revision whose down revisions are all current heads")
    .requiredOption("-m, --message <message>", "what the merge is")
    .option("--sql", "write a .sql migration instead of .ts")
    .action(async (o: { message: string; sql?: boolean }, cmd: Command) => {
      const { merge } = await import("../commands/revision.js");
      const r = await merge({ ...common(cmd), message: o.message, sql: o.sql });
      output(common(cmd).json, r, () => render.renderRevision(r));
    });

  program
    .command("current")
    .alias("status")
    .description("where the database is, the head, the next number and what is pending")
    .option("--strict", "exit 2 when an applied migration's file changed since")
    .action(async (o: { strict?: boolean }, cmd: Command) => {
      const { current } = await import("../commands/current.js");
      const r = await current({ ...common(cmd), strict: o.strict });
      output(common(cmd).json, r, () => render.renderCurrent(r));
    });

  program
    .command("history")
    .description("the chain, newest first, with what is applied")
    .option("-v, --verbose", "show files and when each was applied")
    .action(async (o: { verbose?: boolean }, cmd: Command) => {
      const { history } = await import("../commands/history.js");
      const r = await history(common(cmd));
      output(common(cmd).json, r, () => render.renderHistory(r, !!o.verbose));
    });

  program
    .command("heads")
    .description("the head revision(s) of the chain")
    .action(async (_o: unknown, cmd: Command) => {
      const { heads } = await import("../commands/history.js");
      const r = await heads(common(cmd));
      output(common(cmd).json, r, () => render.renderHeads(r));
    });

  const lockTimeout = new Option("--lock-timeout <seconds>", "how long to wait for another run's lock").default("300");
  type UpgradeFlags = { sql?: boolean; strict?: boolean; check: boolean; singleTransaction?: boolean; lockTimeout: string; report?: string };
  program
    .command("upgrade")
    .description("apply migrations up to TARGET (head, +N, a revision)")
    .argument("[target]", "head, heads, +N, a revision id or prefix", "head")
    .option("--sql", "print the SQL that would run; touch nothing")
    .option("--strict", "refuse when an applied migration's file changed since")
    .option("--no-check", "apply even when the checks find errors")
    .option("--single-transaction", "run every migration of the run in one transaction: all apply, or none")
    .option("--report <file>", "write the report of the last applied migration (.md, .json or text)")
    .addOption(lockTimeout)
    .action(async (target: string, o: UpgradeFlags, cmd: Command) => {
      const { upgrade } = await import("../commands/migrate.js");
      const { sql, strict, check, singleTransaction } = o;
      const stop = stopOnSignals();
      const r = await upgrade({ ...common(cmd), target, sql, strict, check, singleTransaction, lockTimeoutMs: seconds(o.lockTimeout), signal: stop.signal }).finally(stop.release);
      output(common(cmd).json, r, () => render.renderMigrate(r));
      stop.finish(r);
      if (r.interrupted) return;
      const last = r.steps[r.steps.length - 1];
      if (o.report && last && !o.sql) {
        const { report, writeReport } = await import("../commands/report.js");
        const file = writeReport(o.report, await report({ ...common(cmd), revision: last.revision }));
        log(`Wrote the report of ${last.revision} to ${file}.`);
      }
    });

  program
    .command("downgrade")
    .description("roll migrations back to TARGET (-N, base, a revision)")
    .argument("<target>", "-N, base, a revision id or prefix")
    .option("--sql", "print the SQL that would run; touch nothing")
    .option("--strict", "refuse when an applied migration's file changed since")
    .option("--single-transaction", "roll every migration back in one transaction: all, or none")
    .option("-y, --yes", "roll back even when that drops a table's rows or a column's values (alias --allow-data-loss)")
    .option("--allow-data-loss", "the same as --yes")
    .addOption(new Option("--lock-timeout <seconds>", "how long to wait for another run's lock").default("300"))
    .action(async (target: string, o: { sql?: boolean; strict?: boolean; singleTransaction?: boolean; yes?: boolean; allowDataLoss?: boolean; lockTimeout: string }, cmd: Command) => {
      const { downgrade } = await import("../commands/migrate.js");
      const c = common(cmd);
      const interactive = !c.json && process.stdin.isTTY && process.stderr.isTTY;
      const stop = stopOnSignals();
      const r = await downgrade({
        ...c, target, sql: o.sql, strict: o.strict, singleTransaction: o.singleTransaction, lockTimeoutMs: seconds(o.lockTimeout), signal: stop.signal,
        allowDataLoss: !!(o.yes || o.allowDataLoss), confirmDataLoss: interactive ? askDataLoss : undefined,
      }).finally(stop.release);
      output(c.json, r, () => render.renderMigrate(r));
      stop.finish(r);
    });

  program
    .command("check")
    .description("check migrations against the pre-apply checklist and lock-safety rules (default: the pending ones)")
    .argument("[revisions...]", "revision ids or prefixes to check")
    .option("--all", "check every migration file")
    .option("--models", "also check the model: relations on both sides of every foreign key, API schemas")
    .option("--explain <rule>", "print a rule's page (what it catches, why, the safe way) and check nothing")
    .option("--approve", "approve the named migrations as they are: their acknowledgements then count when an agent applies them (sluice mcp)")
    .addOption(new Option("--format <format>", "output format").choices(["text", "json", "github"]).default("text"))
    .action(async (revisions: string[], o: { all?: boolean; models?: boolean; explain?: string; approve?: boolean; format: "text" | "json" | "github" }, cmd: Command) => {
      if (o.explain !== undefined) {
        const { explainRule } = await import("../commands/check.js");
        const page = explainRule(o.explain);
        output(common(cmd).json || o.format === "json", page, () => page.text.trimEnd());
        return;
      }
      // One pass over the migrations is short-lived code, and V8's optimizing tiers cost it
      // more CPU than they save (bench/RESULTS.md). WASM: recompiling the parser's hot
      // functions with TurboFan costs ~180 ms on 10,000 statements and gains ~10 ms a pass,
      // so WASM stays baseline (Liftoff) code; V8 reads this flag as code runs, so it holds
      // for the whole process (PGlite too, which check uses only to read the version table).
      // JavaScript: the default budget has TurboFan compile ~170 functions that run once per
      // statement; a 40× budget optimizes only what stays hot (0.97 s → 0.46 s CPU on 10,000
      // statements, 1.85 s → 1.45 s on 50,000). Set here, not in check(), so that a program
      // calling the library, and the other commands, keep V8's defaults.
      setFlagsFromString("--liftoff-only");
      setFlagsFromString("--interrupt-budget=2703360");
      const { check } = await import("../commands/check.js");
      const { formatText, formatGithub } = await import("../checks/format.js");
      const c = common(cmd);
      if (o.approve && (o.all || o.models)) throw new SluiceError("usage", "--approve takes the revisions you reviewed, not --all or --models.", { hint: "Run `sluice check --approve 003`." });
      const approval = o.approve ? await (await import("../commands/approve.js")).approve({ ...c, revisions }) : undefined;
      const r = approval ?? (await check({ ...c, revisions, all: o.all, models: o.models }));
      const { root, ...result } = r;
      const errors = r.findings.some((f) => f.severity === "error");
      const approved = approval ? `\n${render.renderApproved(approval)}` : "";
      output(c.json || o.format === "json", result, () => (o.format === "github" ? formatGithub(r) : formatText(r, root)) + approved, errors);
      if (r.collisions?.length) {
        log(`error: two merged branches claim revision ${r.collisions.join(", ")}; run \`sluice rebase\` (--base origin/main for the branch merged) to renumber the migrations not yet applied.`);
        resultCode = ExitCode.usage;
      }
    });

  program
    .command("stamp")
    .description("record the database as at REV without running migrations")
    .argument("<revision>", "a revision id or prefix, head or base")
    .option("--update-checksum", "re-record the checksum of REV, applied, from its file as edited since")
    .action(async (revisionArg: string, o: { updateChecksum?: boolean }, cmd: Command) => {
      const { stamp } = await import("../commands/migrate.js");
      const r = await stamp({ ...common(cmd), revision: revisionArg, updateChecksum: o.updateChecksum });
      output(common(cmd).json, r, () => render.renderStamp(r));
    });

  program
    .command("baseline")
    .description("adopt a live database: write 001_baseline creating its schema from empty, and record it as applied")
    .option("-m, --message <message>", "the baseline's message", "baseline")
    .option("--sql", "write a .sql migration instead of .ts")
    .action(async (o: { message: string; sql?: boolean }, cmd: Command) => {
      const { baseline } = await import("../commands/baseline.js");
      const r = await baseline({ ...common(cmd), message: o.message, sql: o.sql });
      output(common(cmd).json, r, () => render.renderBaseline(r));
    });

  program
    .command("import")
    .description("convert another tool's chain (drizzle-kit, prisma) into Sluice migrations and carry over what the database applied")
    .argument("<tool>", "drizzle-kit or prisma")
    .argument("[dir]", "the tool's migrations folder (default: its usual one, ./drizzle or ./prisma/migrations)")
    .option("--dry-run", "print what would be written and recorded; write nothing")
    .action(async (tool: string, dir: string | undefined, o: { dryRun?: boolean }, cmd: Command) => {
      const { importChain } = await import("../commands/import.js");
      const r = await importChain({ ...common(cmd), tool, source: dir, dryRun: o.dryRun });
      output(common(cmd).json, r, () => render.renderImport(r));
    });

  program
    .command("rebase")
    .description("renumber the migrations no database applied after the other branch's head, when two branches added the same numbers")
    .option("--onto <revision>", "the revision to build on (default: the head of the migrations that keep their numbers)")
    .option("--base <gitref>", "a git ref whose migration files keep their numbers, e.g. origin/main")
    .option("--dry-run", "print the renumbering; change nothing")
    .action(async (o: { onto?: string; base?: string; dryRun?: boolean }, cmd: Command) => {
      const { rebase } = await import("../commands/rebase.js");
      const r = await rebase({ ...common(cmd), onto: o.onto, base: o.base, dryRun: o.dryRun });
      output(common(cmd).json, r, () =>
        r.moves.length
          ? [`${r.dryRun ? "Would renumber" : "Renumbered"} after ${r.onto ?? "base"}${r.git && !r.dryRun ? " (git mv)" : ""}:`, ...r.moves.map((m) => `  ${m.file} → ${m.newFile} (down revision ${m.downRevision})`)].join("\n")
          : "Nothing to renumber: the chain is one line.",
      );
    });

  program
    .command("describe")
    .description("a table's columns, keys, indexes, constraints and enums (like psql's \\d); no table: list tables")
    .argument("[table]", "a table or view: products, app.bookings, '\"Mixed Case\"'")
    .action(async (table: string | undefined, _o: unknown, cmd: Command) => {
      const { describe } = await import("../commands/describe.js");
      const r = await describe({ ...common(cmd), table });
      output(common(cmd).json, r, () => render.renderDescribe(r));
    });

  program
    .command("show")
    .description("a migration's source and the SQL of both directions")
    .argument("<revision>", "a revision id or prefix")
    .action(async (revisionArg: string, _o: unknown, cmd: Command) => {
      const { showMigration } = await import("../commands/show.js");
      const r = await showMigration({ ...common(cmd), revision: revisionArg });
      output(common(cmd).json, r, () => render.renderShow(r));
    });

  program
    .command("verify")
    .description("prove migrations on a shadow database: upgrade, downgrade, upgrade again, locks, drift")
    .argument("[revisions...]", "revision ids or prefixes (default: the pending ones)")
    .option("--all", "every revision from base")
    .option("--data", "insert sample rows before each upgrade (the default)")
    .option("--no-data", "prove on empty tables: no sample rows")
    .option("--shadow-url <url>", "`target` for a scratch database on the target's server, or a postgres:// URL")
    .action(async (revs: string[], o: { all?: boolean; data?: boolean; shadowUrl?: string }, cmd: Command) => {
      const { verify } = await import("../commands/verify.js");
      const r = await verify({ ...common(cmd), revisions: revs, all: o.all, data: o.data, shadowUrl: o.shadowUrl });
      output(common(cmd).json, r, () => render.renderVerify(r), !r.ok);
    });

  program
    .command("clean")
    .description("drop the scratch databases that killed verify or autogenerate runs left on a server")
    .option("--dry-run", "only list them")
    .option("--shadow-url <url>", "the server to clean: `target` (default, the project database's server) or a postgres:// URL")
    .action(async (o: { dryRun?: boolean; shadowUrl?: string }, cmd: Command) => {
      const { clean } = await import("../commands/clean.js");
      const r = await clean({ ...common(cmd), dryRun: o.dryRun, shadowUrl: o.shadowUrl });
      output(common(cmd).json, r, () => render.renderClean(r), r.stale.some((d) => d.error !== undefined));
    });

  program
    .command("report")
    .description("the report of a migration: backfills, constraint changes, findings, round trip and locks")
    .argument("[revision]", "default: the last applied migration")
    .addOption(new Option("--format <format>", "output format").choices(["text", "md", "json"]).default("text"))
    .option("--shadow-url <url>", "where to prove the round trip (see verify)")
    .action(async (revisionArg: string | undefined, o: { format: "text" | "md" | "json"; shadowUrl?: string }, cmd: Command) => {
      const { report } = await import("../commands/report.js");
      const { renderReport } = await import("../report/report.js");
      const c = common(cmd);
      const r = await report({ ...c, revision: revisionArg, shadowUrl: o.shadowUrl });
      process.stdout.write(renderReport(redactValue(r), c.json ? "json" : o.format));
    });

  program
    .command("ship")
    .description("the whole workflow: state → autogenerate → review → check → verify → upgrade → model → report")
    .requiredOption("-m, --message <message>", "what the migration does")
    .option("-y, --yes", "go on past the review stop and apply")
    .option("--rename <old=new>", "a rename for autogenerate, table.column=new_column or table=new_table (repeatable)", collect, [])
    .option("--data", "prove with sample rows on the shadow (the default)")
    .option("--no-data", "prove on empty tables: no sample rows")
    .option("--accept-review", "with --yes: apply even though the file still holds REVIEW marks")
    .option("--shadow-url <url>", "where to prove the round trip (see verify)")
    .option("--report <file>", "also write the report here (.md, .json or text)")
    .action(async (o: { message: string; yes?: boolean; rename: string[]; data?: boolean; acceptReview?: boolean; shadowUrl?: string; report?: string }, cmd: Command) => {
      const { ship } = await import("../commands/ship.js");
      const c = common(cmd);
      const mark = (ok: boolean) => (ok ? "✓" : "✗");
      const r = await ship({
        ...c, message: o.message, yes: o.yes, renames: o.rename, data: o.data, acceptReview: o.acceptReview, shadowUrl: o.shadowUrl, reportFile: o.report,
        onStep: c.json ? undefined : (s) => process.stdout.write(`${mark(s.ok)} ${s.step.padEnd(8)} ${s.summary}\n`),
      });
      if (c.json) output(true, r, () => "");
      else if (r.stopped === "review" && r.text) process.stdout.write(`\n--- ${r.file} ---\n${r.text}`);
      else if (r.report) {
        const { renderReportText } = await import("../report/report.js");
        process.stdout.write(`\n${renderReportText(r.report)}\n`);
      }
    });

  program
    .command("mcp")
    .description("serve the migration workflow to an AI agent over MCP (stdio)")
    .option("--allow-apply", "let the agent run upgrade (checked and verified first)")
    .option("--allow-downgrade", "let the agent run downgrade")
    .option("--allow-destructive", "with --allow-apply: count acknowledgements (sluice:allow) the agent wrote itself, not only committed or approved ones")
    .option("--allow-data-loss", "with --allow-downgrade: let the agent's downgrade drop tables with rows and columns with values")
    .action(async (o: { allowApply?: boolean; allowDowngrade?: boolean; allowDestructive?: boolean; allowDataLoss?: boolean }, cmd: Command) => {
      const { serveMcp } = await import("../mcp/server.js");
      const g = common(cmd);
      await serveMcp({
        cwd: process.cwd(), config: g.config, url: g.url,
        allowApply: !!o.allowApply, allowDowngrade: !!o.allowDowngrade, allowDestructive: !!o.allowDestructive, allowDataLoss: !!o.allowDataLoss,
      });
    });

  return program;
}

/** `--safe false`, `--safe=true`: a boolean option's value. */
function parseBoolean(value: string): boolean {
  if (value === "true") return true;
  if (value === "false") return false;
  throw new SluiceError("usage", `Expected true or false, got ${JSON.stringify(value)}.`, { hint: "Write --safe=false for the plain one-step form, or leave it out for the lock-safe one." });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Asks on the terminal whether a rename candidate is a rename. */
async function askRename(c: import("../autogen/renames.js").RenameCandidate): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const what = c.kind === "table" ? `table ${c.from} → ${c.to}` : `column ${c.table}.${c.from} → ${c.to}`;
    const answer = await rl.question(`Is ${what} a rename? (keeps the data; otherwise drop and add) [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Shows what a downgrade would lose and asks on the terminal whether to go on. */
async function askDataLoss(losses: readonly import("../commands/data-loss.js").DataLoss[]): Promise<boolean> {
  const { createInterface } = await import("node:readline/promises");
  process.stderr.write(`This downgrade loses data:\n${losses.map((l) => `  ${l.message}`).join("\n")}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    // Ctrl-C or end of input at the prompt is a no.
    const answer = await new Promise<string>((resolve) => {
      rl.on("SIGINT", () => resolve(""));
      rl.on("close", () => resolve(""));
      rl.question("Roll back anyway? The data cannot be restored by an upgrade. [y/N] ").then(resolve, () => resolve(""));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new SluiceError("usage", `--lock-timeout must be a number of seconds, got ${JSON.stringify(value)}.`);
  return n * 1000;
}

/** Runs the CLI and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const args = relativeTargetsLast(argv.slice(2));
  const json = argv.includes("--json");
  // Any URL given on the command line or in the environment is hidden whole wherever a message repeats it.
  for (const a of argv) rememberConnectionString(a);
  rememberConnectionString(process.env.DATABASE_URL);
  // A reader that closed early (`sluice history | head -1`) has read what it wants: the run goes on, printing nothing more.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
  });
  if (!args.length) {
    process.stderr.write(program.helpInformation());
    return ExitCode.usage;
  }
  try {
    await program.parseAsync(args, { from: "user" });
    return resultCode;
  } catch (err) {
    return reportError(err, json);
  }
}

/** `downgrade -1 --json` → `downgrade --json -- -1`, so `-1` is a target, not an option. */
function relativeTargetsLast(args: string[]): string[] {
  const i = args.findIndex((a, k) => /^-\d+$/.test(a) && k > 0 && (args[k - 1] === "downgrade" || args[k - 1] === "upgrade"));
  if (i < 0 || args.includes("--")) return args;
  return [...args.slice(0, i), ...args.slice(i + 1), "--", args[i]];
}

function reportError(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return ExitCode.ok;
    if (json) process.stdout.write(`${JSON.stringify({ error: "usage", message: redactText(err.message.replace(/^error: /, "")) })}\n`);
    return ExitCode.usage;
  }
  if (err instanceof SluiceError) {
    if (json) process.stdout.write(`${JSON.stringify(redactValue(err.toJSON()), null, 2)}\n`);
    process.stderr.write(redactText(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}`));
    return err.exitCode;
  }
  const info = pgErrorInfo(err);
  if (info) {
    const message = `PostgreSQL ${info.code}: ${redactText(info.message)}`;
    if (json) process.stdout.write(`${JSON.stringify({ error: "database", message, pgCode: info.code })}\n`);
    process.stderr.write(`error: ${message}\n`);
    return ExitCode.database;
  }
  const e = err as Error;
  if (json) process.stdout.write(`${JSON.stringify({ error: "internal", message: redactText(e?.message ?? String(err)) })}\n`);
  process.stderr.write(`error: ${redactText(e?.stack ?? String(err))}\nThis is a bug in sluice; please report it with the command you ran.\n`);
  return ExitCode.usage;
}
