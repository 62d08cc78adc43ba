import type { CurrentResult } from "../commands/current.js";
import type { HistoryResult, HeadsResult } from "../commands/history.js";
import type { MigrateResult, StampResult } from "../commands/migrate.js";
import type { RevisionResult } from "../commands/revision.js";
import type { InitResult } from "../commands/init.js";
import type { ShowResult } from "../commands/show.js";

/** Plain-text renderings of command results, for a terminal. */
const at = (revs: readonly string[]) => (revs.length ? revs.join(", ") : "base");

export function renderCurrent(r: CurrentResult): string {
  return [
    `database  ${r.database}`,
    `current   ${at(r.current)}`,
    `head      ${r.head ?? "(no migrations)"}`,
    `next      ${r.next}`,
    `pending   ${r.pending.length ? `${r.pending.length}: ${r.pending.join(", ")}` : "none"}`,
  ].join("\n");
}

export function renderHistory(r: HistoryResult, verbose: boolean): string {
  if (!r.revisions.length) return "No migrations yet. Create one with `sluice revision -m \"…\"`.";
  const lines: string[] = [];
  for (const e of r.revisions) {
    const down = e.downRevisions.length ? e.downRevisions.join(", ") : "base";
    const mark = e.applied ? (e.changed ? "applied, changed since" : "applied") : "pending";
    const head = r.heads.includes(e.revision) ? " (head)" : "";
    lines.push(`${down} -> ${e.revision}${head}  ${e.message}  [${mark}]`);
    if (verbose) {
      lines.push(`    file: ${e.file ?? "(missing)"}`);
      lines.push(`    applied at: ${e.appliedAt ?? "-"}${e.transactional ? "" : "   (runs outside a transaction)"}`);
    }
  }
  return lines.join("\n");
}

export function renderHeads(r: HeadsResult): string {
  return r.heads.length ? r.heads.map((h) => `${h.revision} (head)  ${h.message}  ${h.file}`).join("\n") : "No migrations yet.";
}

export function renderMigrate(r: MigrateResult): string {
  if (r.sql !== undefined) return r.sql.trimEnd();
  if (!r.steps.length) return `Nothing to do: the database is at ${at(r.to)}.`;
  const verb = r.direction === "upgrade" ? "Applied" : "Rolled back";
  const lines = r.steps.map((s) => `  ${s.revision}  ${s.message}  (${s.ms} ms)`);
  return [`${verb} ${r.steps.length} migration(s) on ${r.database}:`, ...lines, `The database is now at ${at(r.to)} (was ${at(r.from)}).`].join("\n");
}

export function renderStamp(r: StampResult): string {
  return `Stamped ${r.database} at ${at(r.to)} (was ${at(r.from)}); no migration ran.`;
}

export function renderRevision(r: RevisionResult): string {
  return `Wrote ${r.file} (revision ${r.revision}, down revision ${r.downRevision ?? "none"}).\nRead it, fill in upgrade and downgrade, then run \`sluice upgrade\`.`;
}

export function renderInit(r: InitResult, cwd: string): string {
  const rel = (p: string) => (p.startsWith(cwd) ? `.${p.slice(cwd.length)}` : p);
  return `Wrote ${rel(r.configFile)} and ${rel(r.migrationsDir)}/.\nNext: sluice revision -m "create first table"`;
}

export function renderShow(r: ShowResult): string {
  const sql = (stmts: string[]) => (stmts.length ? stmts.map((s) => `${s};`).join("\n") : "-- (nothing)");
  return [
    `-- ${r.file} (revision ${r.revision}, down revision ${r.downRevisions.join(", ") || "none"})${r.transactional ? "" : " — runs outside a transaction"}`,
    "-- upgrade",
    sql(r.upgradeSql),
    "-- downgrade",
    r.irreversible && !r.downgradeSql.length ? `-- irreversible: ${r.irreversible}` : sql(r.downgradeSql),
  ].join("\n");
}
