import path from "node:path";
import type { Finding, SuppressedFinding } from "./types.js";
import { sourceLines } from "./source.js";

export interface FormatInput {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly checked: readonly string[];
  readonly notes?: readonly string[];
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/**
 * Findings for a terminal: grouped by file, each with the offending line of
 * the file, what is wrong and the fix, then acknowledged findings and a count.
 */
export function formatText(r: FormatInput, root: string): string {
  const out: string[] = [...(r.notes ?? []).map((n) => `note: ${n}`)];
  const byFile = new Map<string, Finding[]>();
  for (const f of r.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const [file, findings] of byFile) {
    out.push("", file);
    const lines = sourceLines(path.join(root, file));
    for (const f of findings) {
      out.push(`  ${position(f)}: ${f.severity} [${f.rule}] ${f.message}`);
      const text = f.line ? lines[f.line - 1]?.trim() : undefined;
      if (text) out.push(`      | ${text.length > 120 ? `${text.slice(0, 117)}…` : text}`);
      out.push(`      fix: ${f.fix}`);
      out.push(`      docs: ${f.docs} (sluice check --explain ${f.rule})`);
    }
  }
  if (r.suppressed.length) {
    out.push("", "Acknowledged:");
    for (const s of r.suppressed) out.push(`  ${s.file}:${position(s)} [${s.rule}] allowed: ${s.reason}`);
  }
  const errors = r.findings.filter((f) => f.severity === "error").length;
  const warnings = r.findings.length - errors;
  const what = r.checked.length ? `${count(r.checked.length, "migration")} checked` : "No migration to check";
  out.push("", `${what}: ${count(errors, "error")}, ${count(warnings, "warning")}${r.suppressed.length ? `, ${r.suppressed.length} acknowledged` : ""}.`);
  return out.join("\n").replace(/^\n+/, "");
}

/** `line:column`, `line`, or `-` when the finding has no line. */
function position(f: Finding): string {
  return f.line ? `${f.line}${f.column ? `:${f.column}` : ""}` : "-";
}

/** GitHub Actions workflow commands: one `::error` or `::warning` annotation per finding. */
export function formatGithub(r: FormatInput): string {
  const esc = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (s: string) => esc(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const out = r.findings.map((f) => {
    const where = `file=${prop(f.file)}${f.line ? `,line=${f.line}${f.column ? `,col=${f.column}` : ""}` : ""},title=${prop(f.rule)}`;
    return `::${f.severity === "error" ? "error" : "warning"} ${where}::${esc(`${f.message} Fix: ${f.fix} Docs: ${f.docs} (sluice check --explain ${f.rule})`)}`;
  });
  for (const s of r.suppressed) out.push(`::notice file=${prop(s.file)}${s.line ? `,line=${s.line}` : ""},title=${prop(s.rule)}::${esc(`Acknowledged: ${s.reason}`)}`);
  const errors = r.findings.filter((f) => f.severity === "error").length;
  out.push(`${count(r.checked.length, "migration")} checked: ${count(errors, "error")}, ${count(r.findings.length - errors, "warning")}.`);
  return out.join("\n");
}
