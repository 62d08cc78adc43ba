import fs from "node:fs";
import { SluiceError, ExitCode } from "../errors.js";
import type { CommonOptions } from "./context.js";
import { current } from "./current.js";
import { autogenerate } from "./autogenerate.js";
import { check } from "./check.js";
import { verify, type VerifyCommandResult } from "./verify.js";
import { upgrade } from "./migrate.js";
import { diff } from "./diff.js";
import { showMigration } from "./show.js";
import { report, writeReport } from "./report.js";
import type { Report } from "../report/report.js";
import { renderVerify } from "../verify/render.js";

export type ShipStepName = "current" | "generate" | "review" | "check" | "verify" | "upgrade" | "model" | "report";

/** A `// REVIEW:` (or `-- REVIEW:`) comment left in a migration file: a question autogenerate could not answer. */
export interface ReviewMark {
  file: string;
  line: number;
  text: string;
}

/** The REVIEW marks of a migration file's text, with their 1-based lines. */
export function reviewMarks(file: string, source: string): ReviewMark[] {
  const marks: ReviewMark[] = [];
  source.split(/\r?\n/).forEach((text, i) => {
    if (/^\s*(\/\/|--|\*|\/\*)\s*REVIEW:/.test(text)) marks.push({ file, line: i + 1, text: text.trim() });
  });
  return marks;
}

export interface ShipStep {
  step: ShipStepName;
  ok: boolean;
  /** One line: what the step found or did. */
  summary: string;
}

export interface ShipOptions extends CommonOptions {
  message: string;
  /** Go on past the review stop: check, verify, apply and report. */
  yes?: boolean;
  /** Renames for autogenerate: `products.sku=article_no`. */
  renames?: string[];
  /** Insert sample rows on the shadow before each upgrade (default true; false is `--no-data`). */
  data?: boolean;
  /** With `yes`: apply even though the file still holds `REVIEW:` marks (the user read them). */
  acceptReview?: boolean;
  shadowUrl?: string;
  /** Write the report here too (.md, .json or text). */
  reportFile?: string;
  /** Called as each step finishes. */
  onStep?: (step: ShipStep) => void;
}

export interface ShipResult {
  steps: ShipStep[];
  /** The revision(s) shipped (or written and waiting for review). */
  revisions: string[];
  file: string | null;
  /** The generated file's text, for review. */
  text: string | null;
  applied: boolean;
  /** Where the run stopped on purpose: "review" without --yes, "nothing to do" when model and database agree. */
  stopped: "review" | "nothing to do" | null;
  report: Report | null;
}

/**
 * The seed's workflow end to end: current state → autogenerate the next
 * revision → stop for review (unless `yes`) → check → verify on a shadow →
 * upgrade → compare the database with the model → report. A failing step stops
 * the run before anything is applied and says which step failed and why.
 *
 * @example
 * const r = await ship({ cwd: "./app", message: "add step_hash to cad_files", yes: true });
 * console.log(r.steps.map((s) => `${s.step}: ${s.summary}`).join("\n"));
 */
export async function ship(opts: ShipOptions): Promise<ShipResult> {
  const steps: ShipStep[] = [];
  const result: ShipResult = { steps, revisions: [], file: null, text: null, applied: false, stopped: null, report: null };
  const done = (step: ShipStepName, ok: boolean, summary: string) => {
    const s = { step, ok, summary };
    steps.push(s);
    opts.onStep?.(s);
  };
  const run = async <T>(step: ShipStepName, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof SluiceError) {
        done(step, false, err.message.split("\n")[0]);
        err.message = `ship stopped at ${step}${result.applied ? "" : "; nothing was applied"}: ${err.message}`;
        Object.assign(err.details ?? {}, { step });
      }
      throw err;
    }
  };
  const common: CommonOptions = { cwd: opts.cwd, config: opts.config, url: opts.url, log: opts.log };

  const status = await run("current", () => current(common));
  done("current", true, `database at ${status.current.length ? status.current.join(", ") : "base"}; head ${status.head ?? "none"}; ${status.pending.length ? `pending ${status.pending.join(", ")}` : "nothing pending"}`);

  if (status.pending.length) {
    // A revision written by an earlier `ship` (or by hand) waits: ship it instead of generating another.
    result.revisions = [...status.pending];
    done("generate", true, `not generating: shipping the pending revision(s) ${status.pending.join(", ")}`);
    if (!opts.yes) {
      // A pending file is read before it is applied, however it was written.
      const last = await showMigration({ ...common, revision: status.pending[status.pending.length - 1] });
      result.file = last.file;
      result.text = last.source;
      done("review", true, `read ${status.pending.length > 1 ? `the pending files (last: ${last.file})` : last.file}, then run \`sluice ship --yes -m ${JSON.stringify(opts.message)}\``);
      result.stopped = "review";
      return result;
    }
  } else {
    const g = await run("generate", () => autogenerate({ ...common, message: opts.message, renames: opts.renames }));
    if (!g.written) {
      done("generate", true, `nothing to change: ${g.currentSource} matches ${g.model}`);
      result.stopped = "nothing to do";
      return result;
    }
    result.revisions = g.files.map((f) => f.revision);
    result.file = g.written.file;
    result.text = g.files.map((f) => fs.readFileSync(f.path, "utf8")).join("\n");
    const reviews = g.changes.filter((c) => c.review).length;
    const files = g.files.map((f) => f.file).join(" and ");
    done("generate", true, `wrote ${files}: ${g.changes.length} change(s)${reviews ? `, ${reviews} marked REVIEW` : ""}`);
    if (!opts.yes) {
      done("review", true, `read ${files}, resolve any REVIEW comment, then run \`sluice ship --yes -m ${JSON.stringify(opts.message)}\``);
      result.stopped = "review";
      return result;
    }
  }

  const marks: ReviewMark[] = [];
  for (const revision of result.revisions) {
    const m = await run("review", () => showMigration({ ...common, revision }));
    marks.push(...reviewMarks(m.file, m.source));
  }
  if (marks.length && !opts.acceptReview) {
    const files = [...new Set(marks.map((m) => m.file))];
    done("review", false, `${marks.length} unresolved REVIEW mark(s) in ${files.join(", ")}`);
    throw new SluiceError(
      "review-unresolved",
      `ship stopped at review; nothing was applied: ${files.length > 1 ? "these files still hold" : `${files[0]} still holds`} ${marks.length} REVIEW mark(s) that nobody has resolved:\n${marks
        .map((m) => `  ${m.file}:${m.line}: ${m.text}`)
        .join("\n")}`,
      {
        exitCode: ExitCode.problems,
        hint: "Read each mark, change the migration where it asks you to, and delete the mark's line; then run ship --yes again (or pass --accept-review to apply the file as it is).",
        details: { step: "review", marks },
      },
    );
  }
  if (marks.length) done("review", true, `${marks.length} REVIEW mark(s) accepted (--accept-review)`);

  const checked = await run("check", () => check({ ...common, revisions: result.revisions }));
  const errors = checked.findings.filter((f) => f.severity === "error");
  const warnings = checked.findings.length - errors.length;
  if (errors.length) {
    done("check", false, `${errors.length} error(s): ${errors.map((f) => `${f.rule} (${f.file}${f.line ? `:${f.line}` : ""})`).join(", ")}`);
    throw new SluiceError("check-failed", `ship stopped at check; nothing was applied: ${errors.map((f) => `${f.rule}: ${f.message} Fix: ${f.fix}`).join("\n")}`, {
      exitCode: ExitCode.problems,
      hint: "Fix or acknowledge each finding (`sluice check` shows them), then run ship again.",
      details: { step: "check", findings: checked.findings },
    });
  }
  done("check", true, `no errors${warnings ? `, ${warnings} warning(s)` : ""}${checked.suppressed.length ? `, ${checked.suppressed.length} acknowledged` : ""}`);

  const proof: VerifyCommandResult = await run("verify", () => verify({ ...common, revisions: result.revisions, data: opts.data ?? true, shadowUrl: opts.shadowUrl }));
  const locks = proof.revisions.flatMap((p) => p.lockSummary);
  if (!proof.revisions.every((p) => p.ok)) {
    done("verify", false, `round trip failed on ${proof.shadow.description}`);
    throw new SluiceError("verify-failed", `ship stopped at verify; nothing was applied:\n${renderVerify(proof)}`, {
      exitCode: ExitCode.problems,
      hint: "Fix the migration so its downgrade restores the schema exactly, then run ship again.",
      details: { step: "verify" },
    });
  }
  done("verify", true, `round trip ok on ${proof.shadow.description} (PostgreSQL ${proof.shadow.version})${locks.length ? `; ${locks.join("; ")}` : ""}`);

  // The check step above read these same files: upgrade does not check (and print) them again.
  const up = await run("upgrade", () => upgrade({ ...common, target: result.revisions[result.revisions.length - 1], check: false }));
  result.applied = up.steps.length > 0;
  done("upgrade", true, `applied ${up.steps.map((s) => `${s.revision} (${s.ms} ms)`).join(", ") || "nothing"}; the database is at ${up.to.join(", ") || "base"}`);

  const drift = await run("model", () => diff(common));
  if (drift.drift) {
    done("model", false, `${drift.differences.length} difference(s) between the database and ${drift.model}`);
    throw new SluiceError("drift", `ship applied ${result.revisions.join(", ")}, but the database still differs from the model:\n${drift.differences.map((d) => `  ${d.text}`).join("\n")}`, {
      exitCode: ExitCode.problems,
      hint: "Run `sluice revision --autogenerate` for the rest, or fix the model.",
      details: { step: "model" },
    });
  }
  done("model", true, `the database matches ${drift.model}`);

  const last = result.revisions[result.revisions.length - 1];
  const rep = await run("report", () => report({ ...common, revision: last, verified: proof }));
  result.report = rep;
  if (opts.reportFile) writeReport(opts.reportFile, rep);
  const holds = rep.backfills.filter((b) => b.violations === 0).length;
  done("report", true, `${rep.file}: ${rep.backfills.length ? `${holds}/${rep.backfills.length} backfill(s) hold` : "no backfill"}, ${rep.attention.length} constraint change(s) to note${opts.reportFile ? `; written to ${opts.reportFile}` : ""}`);
  return result;
}
