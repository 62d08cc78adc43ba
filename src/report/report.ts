import type { Finding, SuppressedFinding } from "../checks/types.js";
import type { BackfillResult } from "../verify/backfill.js";
import type { RevisionProof, VerifyResult } from "../verify/verify.js";
import type { AttentionItem } from "./attention.js";
import { oneLine } from "../text.js";

/** The seed's Report: one object, rendered as text, Markdown or JSON. */
export interface Report {
  revision: string;
  message: string;
  file: string;
  /** What `sluice current` shows now. */
  status: { current: string[]; head: string | null; next: string; pending: string[]; database: string };
  /** When it was applied to the target and how long it took there, when it was. */
  applied: { at: string; ms: number | null } | null;
  /** Each backfill and how many rows violate it on the target now. */
  backfills: BackfillResult[];
  /** Foreign key and unique constraint changes that need attention. */
  attention: AttentionItem[];
  /** Check findings, and the acknowledged ones with their reasons. */
  findings: Finding[];
  acknowledged: SuppressedFinding[];
  /** The round trip on the shadow, with observed locks. */
  verify: {
    ok: boolean;
    shadow: string;
    postgres: number;
    skipped: string | null;
    error: string | null;
    differences: string[];
    locks: string[];
    changes: string[];
  } | null;
  notes: string[];
  generatedAt: string;
}

export function verifySection(result: VerifyResult, proof: RevisionProof | undefined): Report["verify"] {
  if (!proof) return null;
  return {
    ok: proof.ok,
    shadow: result.shadow.description,
    postgres: result.shadow.version,
    skipped: proof.skipped,
    error: proof.error ? `${proof.error.step} failed: ${proof.error.message}` : null,
    differences: [...proof.downgradeDifferences.map((d) => `downgrade does not restore: ${d}`), ...proof.reupgradeDifferences.map((d) => `upgrading again differs: ${d}`)],
    locks: proof.lockSummary,
    changes: proof.changes,
  };
}

const at = (revs: readonly string[]) => (revs.length ? revs.join(", ") : "base");

/** Terminal text. */
export function renderReportText(r: Report): string {
  const lines = [oneLine(`Migration ${r.file} (revision ${r.revision}): ${r.message}`)];
  lines.push(`  current: ${at(r.status.current)} · head ${r.status.head ?? "none"} · next ${r.status.next} · pending ${r.status.pending.length ? r.status.pending.join(", ") : "none"}`);
  lines.push(r.applied ? `  applied: ${r.applied.at}${r.applied.ms !== null ? ` in ${r.applied.ms} ms` : ""}` : "  applied: not yet");
  for (const b of r.backfills) lines.push(`  backfill ${b.assertion}: ${b.violations === 0 ? "holds" : `${b.violations} row(s) violate it`}${b.declared ? "" : " (measured)"}`);
  if (!r.backfills.length) lines.push("  backfill: none in this migration");
  for (const a of r.attention) lines.push(`  attention: ${a.text}`);
  for (const f of r.findings) lines.push(`  ${f.severity} ${f.rule}${f.line ? ` (line ${f.line})` : ""}: ${f.message}`);
  for (const f of r.acknowledged) lines.push(`  acknowledged ${f.rule}${f.line ? ` (line ${f.line})` : ""}: ${f.reason}`);
  if (r.verify) {
    lines.push(`  verify: ${r.verify.ok ? "round trip ok" : "FAILED"} on ${r.verify.shadow} (PostgreSQL ${r.verify.postgres})${r.verify.skipped ? ` — ${r.verify.skipped}` : ""}`);
    for (const d of [...(r.verify.error ? [r.verify.error] : []), ...r.verify.differences]) lines.push(`    ${d}`);
    for (const l of r.verify.locks) lines.push(`    ${l}`);
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join("\n");
}

/** Markdown, ready to paste into a pull request. */
export function renderReportMarkdown(r: Report): string {
  const out: string[] = [];
  out.push(oneLine(`## Migration ${r.revision}: ${r.message}`), "");
  out.push(`- **File:** \`${r.file}\``);
  out.push(`- **Revision:** \`${r.revision}\``);
  out.push(`- **\`sluice current\`:** ${at(r.status.current)} (head ${r.status.head ?? "none"}, next ${r.status.next}${r.status.pending.length ? `, pending ${r.status.pending.join(", ")}` : ""})`);
  out.push(`- **Applied:** ${r.applied ? `${r.applied.at}${r.applied.ms !== null ? ` in ${r.applied.ms} ms` : ""}` : "not yet"}`);
  out.push("", "### Backfill", "");
  if (!r.backfills.length) out.push("No backfill in this migration.");
  for (const b of r.backfills) out.push(`- ${b.violations === 0 ? "✅" : "❌"} \`${b.assertion}\`: ${b.violations === 0 ? "holds" : `${b.violations} row(s) violate it`}${b.declared ? "" : " _(measured, not declared)_"}`);
  out.push("", "### Constraint changes that need attention", "");
  if (!r.attention.length) out.push("None.");
  for (const a of r.attention) out.push(`- ${a.text}`);
  out.push("", "### Checks", "");
  if (!r.findings.length && !r.acknowledged.length) out.push("No findings.");
  for (const f of r.findings) out.push(`- **${f.severity}** \`${f.rule}\`${f.line ? ` (line ${f.line})` : ""}: ${f.message} — ${f.fix}`);
  for (const f of r.acknowledged) out.push(`- acknowledged \`${f.rule}\`${f.line ? ` (line ${f.line})` : ""}: ${f.reason}`);
  out.push("", "### Verify", "");
  if (!r.verify) out.push("Not verified.");
  else {
    out.push(`${r.verify.ok ? "✅ Round trip (upgrade → downgrade → upgrade) restores the schema exactly" : "❌ Round trip FAILED"} on ${r.verify.shadow}, PostgreSQL ${r.verify.postgres}.${r.verify.skipped ? ` ${r.verify.skipped}.` : ""}`);
    for (const d of [...(r.verify.error ? [r.verify.error] : []), ...r.verify.differences]) out.push(`- ${d}`);
    if (r.verify.locks.length) out.push("", "Locks observed:", "", ...r.verify.locks.map((l) => `- ${l}`));
    if (r.verify.changes.length) out.push("", "<details><summary>Schema changes</summary>", "", ...r.verify.changes.map((c) => `- ${c}`), "", "</details>");
  }
  for (const n of r.notes) out.push("", `_Note: ${n}_`);
  return `${out.join("\n")}\n`;
}

export function renderReport(r: Report, format: "text" | "md" | "json"): string {
  if (format === "json") return `${JSON.stringify(r, null, 2)}\n`;
  if (format === "md") return renderReportMarkdown(r);
  return `${renderReportText(r)}\n`;
}
