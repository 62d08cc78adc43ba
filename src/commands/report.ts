import { openProject, withDatabase, databaseExists, type CommonOptions } from "./context.js";
import { readApplied } from "../runner/version-table.js";
import { resolveRevision } from "../chain/graph.js";
import { chainStatus } from "./status.js";
import { SluiceError } from "../errors.js";
import { check } from "./check.js";
import { proveRevisions, type VerifyResult } from "../verify/verify.js";
import { inferredBackfills, measureBackfills, type BackfillResult } from "../verify/backfill.js";
import fs from "node:fs";
import path from "node:path";
import { verifySection, renderReport, type Report } from "../report/report.js";

export interface ReportOptions extends CommonOptions {
  /** Default: the last applied migration. */
  revision?: string;
  /** Where to prove the round trip; see `verify`. */
  shadowUrl?: string;
  /** A verification already run for this revision (upgrade and ship pass theirs). */
  verified?: VerifyResult;
}

/**
 * The seed's Report for one migration: file and revision, what `current`
 * shows, whether each backfill holds, constraint changes that need attention,
 * check findings and acknowledgements, the round trip and its locks.
 *
 * @example
 * const r = await report({ cwd: "./app" });
 * fs.writeFileSync("migration-report.md", renderReport(r, "md"));
 */
export async function report(opts: ReportOptions = {}): Promise<Report> {
  const project = await openProject(opts);
  const { chain } = project;
  const notes: string[] = [];
  const applied = databaseExists(project) ? await withDatabase(project, opts, readApplied) : [];
  let revision: string;
  if (opts.revision) revision = resolveRevision(chain, opts.revision);
  else {
    const last = [...applied].reverse().find((a) => chain.get(a.revision));
    if (!last) throw new SluiceError("usage", "No migration has been applied yet, so there is nothing to report.", { hint: "Name a revision: `sluice report 003`, or apply one first." });
    revision = last.revision;
  }
  const m = chain.get(revision)!;
  const status = chainStatus(chain, applied);
  const row = applied.find((a) => a.revision === revision);

  let backfills: BackfillResult[] = [];
  if (row) {
    const { ops } = await m.upgrade();
    backfills = await withDatabase(project, opts, async (db) => measureBackfills(db, m.verify, await inferredBackfills(ops)));
  } else {
    notes.push(`Revision ${revision} is not applied to ${project.config.database.displayUrl}; backfills were not measured there.`);
  }
  const checked = await check({ ...opts, revisions: [revision] });
  const verified = opts.verified ?? (await proveRevisions(project, [revision], { shadowUrl: opts.shadowUrl, log: opts.log }));
  const proof = verified.revisions.find((p) => p.revision === revision);
  return {
    revision,
    message: m.message,
    file: m.file,
    status: { current: status.current, head: status.head, next: status.next, pending: status.pending, database: project.config.database.displayUrl },
    applied: row ? { at: row.appliedAt, ms: row.executionMs } : null,
    backfills,
    attention: proof?.attention ?? [],
    findings: checked.findings,
    acknowledged: checked.suppressed,
    verify: verifySection(verified, proof),
    notes,
    generatedAt: new Date().toISOString(),
  };
}


/** Writes a report to `file`, as Markdown (.md), JSON (.json) or text; returns the path. */
export function writeReport(file: string, r: Report): string {
  const format = file.endsWith(".md") ? "md" : file.endsWith(".json") ? "json" : "text";
  const full = path.resolve(file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, renderReport(r, format));
  return file;
}
