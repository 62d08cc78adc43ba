import type { CurrentResult } from "../commands/current.js";
import type { HistoryResult, HeadsResult } from "../commands/history.js";
import type { MigrateResult, StampResult } from "../commands/migrate.js";
import type { RevisionResult } from "../commands/revision.js";
import type { ApproveResult } from "../commands/approve.js";
import type { BaselineResult } from "../commands/baseline.js";
import type { ImportResult } from "../commands/import.js";
import type { AutogenerateResult } from "../commands/autogenerate.js";
import type { DiffCommandResult } from "../commands/diff.js";
import type { InitResult } from "../commands/init.js";
import type { DescribeResult } from "../commands/describe.js";
import type { Index, Table } from "../schema/types.js";
import { quoteIdent } from "../ops/quote.js";
import { qualified } from "../schema/compare.js";
import type { ShowResult } from "../commands/show.js";
import type { CleanResult } from "../commands/clean.js";
import { commentLine } from "../text.js";
export { renderVerify } from "../verify/render.js";

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
  const verb = r.direction === "upgrade" ? "Applied" : "Rolled back";
  const lines = r.steps.map((s) => `  ${s.revision}  ${s.message}  (${s.ms} ms)`);
  if (r.interrupted) {
    const done = r.steps.length ? [`${verb} ${r.steps.length} migration(s) on ${r.database} before the run was stopped:`, ...lines] : [];
    // What was rolled back and left goes to stderr with the signal (cli/main.ts).
    return [...done, `The run was interrupted${r.to.length ? `; the database is at ${at(r.to)}` : ""}.`].join("\n");
  }
  if (!r.steps.length) return `Nothing to do: the database is at ${at(r.to)}.`;
  const lost = r.dataLoss?.length ? [`Data dropped as allowed:`, ...r.dataLoss.map((l) => `  ${l.message}`)] : [];
  return [`${verb} ${r.steps.length} migration(s) on ${r.database}:`, ...lines, ...lost, `The database is now at ${at(r.to)} (was ${at(r.from)}).`].join("\n");
}

export function renderApproved(r: ApproveResult): string {
  const lines = r.approved.map((a) => `  ${a.revision}  ${a.file}  (sha256 ${a.checksum.slice(0, 12)}…)`);
  return [`Approved ${r.approved.length} migration file(s) as they are now:`, ...lines, "Their acknowledgements count when an agent applies them (sluice mcp --allow-apply) until the file changes."].join("\n");
}

export function renderClean(r: CleanResult): string {
  if (r.server === null) return "The project's database is embedded: its shadows live in memory and leave nothing behind. Give --shadow-url (or --url) to clean a server.";
  const lines: string[] = [];
  if (!r.stale.length) lines.push(`No stale scratch databases on ${r.server}.`);
  else lines.push(`${r.dryRun ? "Would drop" : "Dropped"} ${r.stale.filter((d) => r.dryRun || d.dropped).length} stale scratch database(s) on ${r.server}:`);
  for (const d of r.stale) lines.push(`  ${d.name}  ${d.reason}${d.error ? `  — not dropped: ${d.error}` : ""}`);
  if (r.kept.length) lines.push(`Kept ${r.kept.length}:`, ...r.kept.map((d) => `  ${d.name}  ${d.reason}`));
  return lines.join("\n");
}

export function renderStamp(r: StampResult): string {
  if (r.checksum) return `Re-recorded the checksum of ${r.checksum.revision} on ${r.database} from its file as it is now (${r.checksum.from.slice(0, 12)}… → ${r.checksum.to.slice(0, 12)}…); nothing ran.`;
  return `Stamped ${r.database} at ${at(r.to)} (was ${at(r.from)}); no migration ran.`;
}

export function renderBaseline(r: BaselineResult): string {
  const lines = [`Wrote ${r.written.file} (revision ${r.written.revision}) from ${r.database}, and recorded it as applied there:`];
  for (const c of r.changes) lines.push(`    ${c}`);
  if (r.unmanaged.length) lines.push(`Not managed by Sluice, left out of the baseline and left as they are (${r.unmanaged.length}):`, ...r.unmanaged.map((u) => `    ${u}`));
  lines.push("Prove it with `sluice verify " + r.written.revision + "`; the next migration is written after it.");
  return lines.join("\n");
}

export function renderImport(r: ImportResult): string {
  if (r.alreadyImported) return `Already imported: the chain holds these ${r.files.length} ${r.tool} migration(s); nothing written.${r.stampedAt ? ` ${r.database} applied up to ${r.stampedAt}.` : ""}`;
  const lines = [`${r.written ? "Wrote" : "Would write"} ${r.files.length} migration(s) from ${r.tool}:`];
  for (const f of r.files) lines.push(`  ${f.applied ? "applied " : "pending "} ${f.file}  ← ${f.importedFrom}${f.downgrade === "computed" ? "  (downgrade computed: REVIEW)" : ""}`);
  lines.push(r.stampedAt ? `${r.written ? "Stamped" : "Would stamp"} ${r.database} at ${r.stampedAt}, the last migration ${r.tool} applied.` : `${r.database} has applied none of them: nothing to stamp.`);
  if (r.written) lines.push(`The ${r.tool} files and table are left as they were. Prove the downgrades with \`sluice verify --all\`.`);
  return lines.join("\n");
}

export function renderRevision(r: RevisionResult): string {
  return `Wrote ${r.file} (revision ${r.revision}, down revision ${r.downRevision ?? "none"}).\nRead it, fill in upgrade and downgrade, then run \`sluice upgrade\`.`;
}

/** One warning line per object of the model that Sluice does not manage. */
function notManagedLines(notManaged: readonly string[]): string[] {
  return notManaged.map((n) => `warning: not managed: ${n} (left out of the comparison; write it in a migration by hand)`);
}

export function renderAutogenerate(r: AutogenerateResult): string {
  if (!r.written) return [...notManagedLines(r.notManaged), `No changes: ${r.currentSource} matches the model (${r.model}). No file written.`].join("\n");
  const lines = r.files.map((w, i) =>
    `Wrote ${w.file} (revision ${w.revision}, down revision ${w.downRevision ?? "none"})${i > 0 ? ", outside a transaction: concurrent index builds and validations" : ""}${i === r.files.length - 1 ? ":" : ""}`,
  );
  for (const c of r.changes) lines.push(`  ${c.review ? "! " : "  "}${c.summary}`);
  const reviews = r.changes.filter((c) => c.review).length;
  if (reviews) lines.push(`${reviews} change(s) marked ! carry a REVIEW comment in the file.`);
  lines.push("Read the file, then run `sluice upgrade`.");
  return [...notManagedLines(r.notManaged), ...lines].join("\n");
}

export function renderDiff(r: DiffCommandResult): string {
  if (!r.drift) return [...notManagedLines(r.notManaged), `No drift: ${r.current} matches the model (${r.model}).`].join("\n");
  const lines = [...notManagedLines(r.notManaged), `${r.current} differs from the model (${r.model}) in ${r.differences.length} place(s):`];
  for (const d of r.differences) lines.push(`  ${d.text}`);
  lines.push("`sluice revision --autogenerate -m …` would write:");
  for (const c of r.changes) lines.push(`  ${c}`);
  return lines.join("\n");
}

export function renderInit(r: InitResult, cwd: string): string {
  const rel = (p: string) => (p.startsWith(cwd) ? `.${p.slice(cwd.length)}` : p);
  return `Wrote ${rel(r.configFile)} and ${rel(r.migrationsDir)}/.\nNext: sluice revision -m "create first table"`;
}

export function renderShow(r: ShowResult): string {
  const sql = (stmts: string[]) => (stmts.length ? stmts.map((s) => `${s};`).join("\n") : "-- (nothing)");
  return [
    commentLine("--", `${r.file} (revision ${r.revision}, down revision ${r.downRevisions.join(", ") || "none"})${r.transactional ? "" : " — runs outside a transaction"}`),
    "-- upgrade",
    sql(r.upgradeSql),
    "-- downgrade",
    r.irreversible && !r.downgradeSql.length ? commentLine("--", `irreversible: ${r.irreversible}`) : sql(r.downgradeSql),
  ].join("\n");
}


export function renderDescribe(r: DescribeResult): string {
  if (r.kind === "list") {
    if (!r.relations.length) return `No tables in ${r.database} (schemas: ${r.schemas.join(", ")}).`;
    const rows = r.relations.map((x) => [x.schema === r.schemas[0] ? quoteIdent(x.name) : `${quoteIdent(x.schema)}.${quoteIdent(x.name)}`, x.kind, x.rowEstimate === null ? "-" : `~${x.rowEstimate}`]);
    return [`Tables in ${r.database} (schemas: ${r.schemas.join(", ")}); rows are PostgreSQL's estimates from the last ANALYZE:`, textTable(["Name", "Kind", "Rows"], rows)].join("\n");
  }
  const lines: string[] = [];
  const section = (title: string, items: readonly string[]) => {
    if (items.length) lines.push(`${title}:`, ...items.map((i) => `    ${i}`));
  };
  // Named as the Type column names them.
  const enumLines = r.enums.map((e) => `${qualified(e)}: ${e.values.join(", ")}`);
  if (r.kind === "view") {
    const v = r.view;
    lines.push(`${v.materialized ? "Materialized view" : "View"} ${qualifiedName(v)}${v.comment ? ` — ${v.comment}` : ""}`);
    lines.push(textTable(["Column", "Type"], v.columns.map((c) => [quoteIdent(c.name), c.type])));
    section("Indexes", v.indexes.map(indexLine));
    section("Enums", enumLines);
    lines.push("Definition:", v.definition.replace(/^\s*\n?/, "    ").trimEnd());
    return lines.join("\n");
  }
  const t = r.table;
  const rows = r.rowEstimate === null ? "" : `  (~${r.rowEstimate} rows)`;
  lines.push(`${t.kind === "partitioned" ? `Partitioned table (${t.partitionBy})` : "Table"} ${qualifiedName(t)}${rows}${t.comment ? ` — ${t.comment}` : ""}`);
  lines.push(
    textTable(
      ["Column", "Type", "Nullable", "Default"],
      t.columns.map((c) => [
        quoteIdent(c.name),
        c.collation ? `${c.type} collate ${c.collation}` : c.type,
        c.nullable ? "" : "not null",
        c.identity
          ? `generated ${c.identity.generation} as identity`
          : c.generated
            ? `generated always as (${c.generated.expression}) ${c.generated.kind}`
            : (c.default ?? ""),
      ]),
    ),
  );
  if (t.primaryKey) section("Primary key", [`${quoteIdent(t.primaryKey.name)} (${t.primaryKey.columns.map(quoteIdent).join(", ")})`]);
  section("Indexes", t.indexes.map(indexLine));
  section("Unique constraints", t.uniques.map((u) => `${quoteIdent(u.name)} ${u.definition}`));
  section("Check constraints", t.checks.map((c) => `${quoteIdent(c.name)} ${c.definition}`));
  section("Exclusion constraints", t.exclusions.map((x) => `${quoteIdent(x.name)} ${x.definition}`));
  section("Foreign keys", t.foreignKeys.map((fk) => `${quoteIdent(fk.name)} ${fk.definition}`));
  section(
    "Referenced by",
    r.referencedBy.map((x) => `TABLE ${qualifiedName({ schema: x.schema, name: x.table })} CONSTRAINT ${quoteIdent(x.foreignKey.name)} ${x.foreignKey.definition}`),
  );
  policyLines(t).forEach((l) => lines.push(l));
  section(
    "Triggers",
    r.triggers.filter((x) => x.enabled === "origin").map((x) => triggerLine(x.definition)),
  );
  for (const [state, title] of [["disabled", "Disabled user triggers"], ["replica", "Triggers firing on replica only"], ["always", "Triggers firing always"]] as const) {
    section(title, r.triggers.filter((x) => x.enabled === state).map((x) => triggerLine(x.definition)));
  }
  section("Enums", enumLines);
  section("Column comments", t.columns.filter((c) => c.comment).map((c) => `${quoteIdent(c.name)}: ${c.comment}`));
  return lines.join("\n");
}

/** psql's \d lists a trigger as its definition without `CREATE TRIGGER `. */
function triggerLine(definition: string): string {
  return definition.replace(/^CREATE (CONSTRAINT )?TRIGGER /, "");
}

/** Row-level security and policies as psql's \d shows them: a title with the RLS state, then each policy. */
function policyLines(t: Table): string[] {
  const { enabled, forced } = t.rowSecurity;
  if (!enabled && !t.policies.length) return [];
  const state = enabled ? (forced ? "forced row security enabled" : "row security enabled") : forced ? "row security disabled, forced" : "row security disabled";
  if (!t.policies.length) return [`Policies (${state}): (none)`];
  const out = [enabled && !forced ? "Policies:" : `Policies (${state}):`];
  for (const p of t.policies) {
    out.push(`    POLICY ${JSON.stringify(p.name)}${p.permissive ? "" : " AS RESTRICTIVE"}${p.command === "all" ? "" : ` FOR ${p.command.toUpperCase()}`}`);
    if (!(p.roles.length === 1 && p.roles[0] === "public")) out.push(`      TO ${p.roles.join(", ")}`);
    if (p.using !== null) out.push(`      USING (${p.using})`);
    if (p.withCheck !== null) out.push(`      WITH CHECK (${p.withCheck})`);
  }
  return out;
}

/** `uq_products_pim_id UNIQUE btree (pim_id) WHERE (pim_id IS NOT NULL)`, as psql's \d lists indexes. */
function indexLine(i: Index): string {
  const using = i.definition.slice(i.definition.indexOf(" USING ") + " USING ".length);
  return `${quoteIdent(i.name)}${i.unique ? " UNIQUE" : ""} ${using}${i.valid ? "" : " INVALID"}`;
}

function qualifiedName(x: { schema: string; name: string }): string {
  return `${quoteIdent(x.schema)}.${quoteIdent(x.name)}`;
}

function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => ` ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")}`.trimEnd();
  return [line(header), `-${widths.map((w) => "-".repeat(w)).join("-+-")}-`, ...rows.map(line)].join("\n");
}
