import type { VerifyResult } from "./verify.js";

/** A verify result as terminal text. */
export function renderVerify(r: VerifyResult): string {
  const lines = [`Proving on ${r.shadow.description}, PostgreSQL ${r.shadow.version}${r.data ? ", with sample rows" : ""}:`];
  for (const n of r.shadow.notes ?? []) lines.push(`  note: ${n}`);
  if (!r.revisions.length) lines.push("  nothing to verify (no pending revisions; name some, or use --all)");
  for (const p of r.revisions) {
    const mark = p.ok ? "ok  " : "FAIL";
    lines.push(`  ${mark} ${p.revision}  ${p.message}  (${p.ms} ms)${p.skipped ? `  — round trip skipped: ${p.skipped}` : ""}`);
    if (p.error) lines.push(`       ${p.error.step} failed: ${p.error.message.split("\n").join("\n       ")}`);
    for (const d of p.downgradeDifferences) lines.push(`       downgrade does not restore: ${d}`);
    for (const d of p.reupgradeDifferences) lines.push(`       upgrading again differs: ${d}`);
    for (const n of p.notes) lines.push(`       note: ${n}`);
    for (const l of p.lockSummary) lines.push(`       ${l}`);
    for (const b of p.backfills) lines.push(`       backfill ${b.assertion}: ${b.violations === 0 ? "holds" : `${b.violations} row(s) left`}${b.declared ? "" : " (measured, not declared)"}`);
  }
  for (const s of r.sampleDataSkipped) lines.push(`  note: no sample rows for ${s.table}: ${s.reason}`);
  if (r.drift.checked) {
    lines.push(r.drift.ok ? "  model: the head matches the model (no drift)" : `  DRIFT between the head and the model:\n${r.drift.differences.map((d) => `    ${d}`).join("\n")}`);
  } else if (r.drift.reason) {
    lines.push(`  model: not compared (${r.drift.reason})`);
  }
  lines.push(r.ok ? `Verified ${r.revisions.length} revision(s) in ${r.ms} ms.` : "Verification FAILED.");
  return lines.join("\n");
}
