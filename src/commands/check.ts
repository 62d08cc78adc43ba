import { cacheDir, loadConfig, stateDir } from "../config/config.js";
import { humanApproval, isCommitted, readApprovals } from "../checks/approval.js";
import { discoverMigrations, type Migration } from "../chain/files.js";
import { buildChain, collisions, compareRevisions, resolveRevision, type Chain } from "../chain/graph.js";
import { readApplied } from "../runner/version-table.js";
import { redactText } from "../db/url.js";
import { SluiceError, ExitCode } from "../errors.js";
import { databaseExists, withDatabase, type CommonOptions, type Project } from "./context.js";
import { runChecks, hasErrors, ruleDocs } from "../checks/engine.js";
import { ruleSeverities, weakenedRules, type RuleSeverities } from "../checks/config.js";
import { formatText } from "../checks/format.js";
import type { Finding, SuppressedFinding } from "../checks/types.js";
import { loadParser } from "../sql/parse.js";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RULES, ruleById } from "../checks/registry.js";
import { projectPath } from "../paths.js";

export interface CheckOptions extends CommonOptions {
  /** Revision ids or unique prefixes to check; default: the pending ones. */
  revisions?: string[];
  /** Check every migration file. */
  all?: boolean;
  /** Also run the post-migration model checks: drift, relations on both sides, API schemas. */
  models?: boolean;
}

export interface CheckResult {
  findings: Finding[];
  /** The revisions checked, in chain order. */
  checked: string[];
  /** Findings acknowledged in the migrations, with their reasons. */
  suppressed: SuppressedFinding[];
  /** What the check could not do as asked (no database reachable, a broken chain). */
  notes: string[];
  /** The project folder the `file` paths are relative to. */
  root: string;
  /** Revisions two merged branches both claim (a number twice, or two heads from one parent): `sluice rebase` renumbers them. */
  collisions: string[];
}

/**
 * Runs the pre-apply checklist and the lock-safety rules over migrations: the
 * named revisions, every file with `all`, else those not yet applied.
 * Findings with severity `error` mean `sluice upgrade` would refuse.
 *
 * @example
 * const { findings } = await check({ cwd: "./app", all: true });
 * if (findings.some((f) => f.severity === "error")) process.exitCode = 1;
 */
export async function check(opts: CheckOptions = {}): Promise<CheckResult> {
  return (await checkTargets(opts)).result;
}

/** `check`, and the migrations it checked (for `approve`). */
export async function checkTargets(opts: CheckOptions): Promise<{ result: CheckResult; targets: Migration[]; root: string }> {
  // The parser's WASM compiles while the config and the migration files load; runChecks awaits it.
  loadParser().catch(() => {});
  const config = await loadConfig({ cwd: opts.cwd, configPath: opts.config, url: opts.url });
  const severities = ruleSeverities(config.config.checks, config.timeouts);
  const cache = cacheDir(config.root);
  const migrations = await discoverMigrations(config.migrationsDir, { root: config.root, cacheDir: cache, maxFileBytes: config.maxMigrationFileBytes });
  const notes: string[] = [];
  let chain: Chain | undefined;
  try {
    chain = buildChain(migrations);
  } catch (err) {
    if (!(err instanceof SluiceError)) throw err;
    // The revision-chain rule reports the problem with its file and line.
  }
  const ordered = chain ? [...chain.migrations] : [...migrations].sort((a, b) => compareRevisions(a.fileNumber, b.fileNumber));
  let targets: Migration[];
  if (opts.revisions?.length) {
    const wanted = new Set(opts.revisions.map((r) => resolve(chain, migrations, r)));
    targets = ordered.filter((m) => wanted.has(m));
  } else if (opts.all) {
    targets = ordered;
  } else if (!chain) {
    targets = ordered;
    notes.push("The revision chain is broken, so what is pending cannot be told; every migration was checked.");
  } else {
    const applied = await appliedRevisions({ config, chain }, opts, notes);
    targets = applied ? ordered.filter((m) => !applied.has(m.revision)) : ordered;
  }
  const outcome = await runChecks(targets, migrations, severities, { cacheDir: cache });
  if (opts.models) {
    const head = chain?.heads.length === 1 ? chain.heads[0] : "";
    const { modelChecklist } = await import("../verify/model-checklist.js");
    const models = await modelChecklist(config);
    outcome.findings.push(...models.findings.map((f) => ({ rule: f.rule, severity: f.severity, revision: head, file: f.file, line: null, column: null, message: f.message, fix: f.fix, docs: ruleDocs(f.rule) })));
    notes.push(...models.notes);
  }
  return { result: { ...outcome, checked: targets.map((m) => m.revision), notes, root: config.root, collisions: collisions(migrations) }, targets, root: config.root };
}

function resolve(chain: Chain | undefined, migrations: readonly Migration[], id: string): Migration {
  if (chain) return chain.get(resolveRevision(chain, id))!;
  const exact = migrations.filter((m) => m.revision === id);
  const matches = exact.length ? exact : migrations.filter((m) => m.revision.startsWith(id));
  if (matches.length === 1) return matches[0];
  throw new SluiceError("unknown-target", matches.length ? `Revision ${id} matches ${matches.map((m) => m.file).join(", ")}.` : `No migration has revision ${id}.`, {
    hint: "Name a revision from `sluice history`, or use --all.",
  });
}

/** The applied revisions, or undefined (with a note) when the database cannot be reached. */
async function appliedRevisions(project: Project, opts: CommonOptions, notes: string[]): Promise<Set<string> | undefined> {
  if (!databaseExists(project)) return new Set();
  try {
    return new Set((await withDatabase(project, opts, readApplied)).map((a) => a.revision));
  } catch (err) {
    const why = redactText((err as Error).message.split("\n")[0]);
    notes.push(`Could not reach the database (${why}), so every migration was checked, not only the pending ones.`);
    return undefined;
  }
}

/** Who asked for the upgrade, for whether acknowledgements count (see `UpgradeOptions.agent`). */
export interface AcknowledgementPolicy {
  agent?: boolean;
  allowDestructive?: boolean;
}

/**
 * Refuses an upgrade whose migrations have error-level findings (`sluice upgrade` without --no-check).
 * For an agent, an acknowledgement counts only in a file a human committed or approved:
 * the agent could otherwise write both the destructive change and its acknowledgement.
 */
export async function refuseOnCheckErrors(migrations: readonly Migration[], project: Project, log?: (line: string) => void, policy: AcknowledgementPolicy = {}): Promise<void> {
  if (!migrations.length) return;
  const humanOnly = !!policy.agent && !policy.allowDestructive;
  const { severities, note } = humanOnly ? agentSeverities(project) : { severities: ruleSeverities(project.config.config.checks, project.config.timeouts), note: "" };
  if (note) log?.(note);
  const outcome = await runChecks(migrations, project.chain.migrations, severities, { cacheDir: cacheDir(project.config.root) });
  const checked = migrations.map((m) => m.revision);
  const unapproved = humanOnly ? unapprovedAcknowledgements(outcome.suppressed, migrations, stateDir(project.config.root)) : [];
  const findings = [...outcome.findings, ...unapproved.map(({ reason, ...f }) => ({ ...f, message: `${f.message} (Acknowledged "${reason}", but no human approved this file as it is.)` }))];
  const shown = { findings, suppressed: outcome.suppressed.filter((f) => !unapproved.includes(f)), checked };
  if (!hasErrors(findings)) {
    // Warnings do not stop the run: one line says so, and `sluice check` lists them.
    if (findings.length) {
      const revisions = [...new Set(findings.map((f) => f.revision))];
      log?.(`Checked ${checked.length} migration(s): no errors, ${findings.length} warning(s) in ${revisions.join(", ")} (\`sluice check ${revisions.join(" ")}\` lists them).`);
    }
    return;
  }
  const notApproved = unapproved.filter((f) => f.severity === "error");
  if (notApproved.length) {
    const files = [...new Set(notApproved.map((f) => f.file))];
    const revisions = [...new Set(notApproved.map((f) => f.revision))];
    const listed = notApproved.map((f) => `  ${f.file}${f.line === null ? "" : `:${f.line}`}: ${f.rule}, acknowledged "${f.reason}"`).join("\n");
    throw new SluiceError(
      "not-approved",
      `Refusing to upgrade: ${files.join(", ")} acknowledge${files.length === 1 ? "s" : ""} findings that no human approved; nothing was applied. An acknowledgement asked for by an agent counts only in a file that is committed in git as it is, or approved with \`sluice check --approve\`.\n${listed}\n${formatText(shown, project.config.root)}`,
      {
        exitCode: ExitCode.problems,
        hint: `Ask the human to review ${files.join(", ")} (above all the acknowledged statements) and, if they agree, to run \`sluice check --approve ${revisions.join(" ")}\` or commit the file; then upgrade again.`,
        details: { findings, checked, unapproved: notApproved },
      },
    );
  }
  const errors = findings.filter((f) => f.severity === "error");
  throw new SluiceError("check-failed", `Refusing to upgrade: the checks found ${errors.length} error(s) in what would be applied; nothing was applied.${note ? `\n${note}` : ""}\n${formatText(shown, project.config.root)}`, {
    exitCode: ExitCode.problems,
    hint: "Fix each finding, or acknowledge an intended one with its reason (`allow` on the op, `-- sluice:allow <rule> <reason>` above the SQL); `--no-check` skips the checks.",
    details: { findings, checked },
  });
}

/**
 * The rule severities for an agent's run: the config may turn a rule down only
 * when it is committed in git as it is (an agent could otherwise switch off
 * the rule that stops it); else those rules run at their defaults.
 */
function agentSeverities(project: Project): { severities: RuleSeverities; note: string } {
  const configured = ruleSeverities(project.config.config.checks, project.config.timeouts);
  const { weakened, restored } = weakenedRules(configured, project.config.timeouts);
  if (!weakened.length || isCommitted(project.config.configFile)) return { severities: configured, note: "" };
  const file = projectPath(project.config.root, project.config.configFile);
  return {
    severities: restored,
    note: `${file} turns down ${weakened.map((r) => r.id).join(", ")}, but it is not committed in git as it is, so for a run an agent asked for ${weakened.length === 1 ? "that rule keeps its" : "those rules keep their"} default severity.`,
  };
}

/** The acknowledged findings of files no human approved (committed in git as they are, or `sluice check --approve`). */
function unapprovedAcknowledgements(suppressed: readonly SuppressedFinding[], migrations: readonly Migration[], state: string): SuppressedFinding[] {
  if (!suppressed.length) return [];
  const approvals = readApprovals(state);
  const byFile = new Map(migrations.map((m) => [m.file, m]));
  const approved = new Map<string, boolean>();
  return suppressed.filter((f) => {
    const m = byFile.get(f.file);
    if (!m) return true;
    if (!approved.has(f.file)) approved.set(f.file, humanApproval(m, approvals) !== undefined);
    return !approved.get(f.file);
  });
}

/** Sluice's docs folder, shipped in the package beside dist/. */
const docsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "docs");

/** A rule's page from docs/checks, for `sluice check --explain RULE`; an unknown rule is bad usage (exit 2). */
export function explainRule(id: string): { rule: string; docs: string; text: string } {
  const rule = ruleById(id);
  if (!rule) {
    throw new SluiceError("unknown-rule", `There is no check rule ${JSON.stringify(id)}.`, { exitCode: ExitCode.usage, hint: `Known rules: ${RULES.map((r) => r.id).join(", ")}.` });
  }
  const docs = ruleDocs(rule.id);
  return { rule: rule.id, docs, text: fs.readFileSync(path.join(docsDir, "checks", `${rule.id}.md`), "utf8") };
}
