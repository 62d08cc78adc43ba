import type { Migration } from "../chain/files.js";
import { compareRevisions } from "../chain/graph.js";
import { prepareMigration } from "./prepare.js";
import { FindingsCache } from "./cache.js";
import type { RuleSeverities } from "./config.js";
import type { Finding, Report, Rule, SuppressedFinding } from "./types.js";

export interface CheckOutcome {
  /** Findings, by file then line. */
  readonly findings: Finding[];
  /** Findings the migrations acknowledged, with their reasons. */
  readonly suppressed: SuppressedFinding[];
}

/**
 * Runs the enabled rules over `migrations` (and the chain rules over `chain`,
 * reporting only on `migrations`). Acknowledged findings move to `suppressed`;
 * an acknowledgement without a reason does not count.
 */
export async function runChecks(
  migrations: readonly Migration[],
  chain: readonly Migration[],
  severities: RuleSeverities,
  opts: { cacheDir?: string } = {},
): Promise<CheckOutcome> {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const add = (rule: Rule, m: Migration, r: Report) => {
    const finding: Finding = {
      rule: rule.id,
      severity: severities.get(rule)!,
      revision: m.revision,
      file: m.file,
      line: r.statement?.line ?? r.line ?? null,
      column: (r.statement ? r.statement.column : r.column) ?? null,
      message: r.message,
      fix: r.fix,
      docs: ruleDocs(rule.id),
    };
    const reason = r.statement?.allow[rule.id];
    if (reason === undefined) findings.push(finding);
    else if (reason.trim()) suppressed.push({ ...finding, reason: reason.trim() });
    else findings.push({ ...finding, message: `${finding.message} (It is acknowledged without a reason, which does not count: write the reason after the rule id.)` });
  };
  const rules = [...severities.keys()];
  const checked = new Set(migrations);
  for (const rule of rules) {
    if (!rule.checkChain) continue;
    for (const r of rule.checkChain({ migrations: chain })) if (checked.has(r.migration)) add(rule, r.migration, r);
  }
  const cache = opts.cacheDir === undefined ? undefined : FindingsCache.open(opts.cacheDir, severities);
  for (const m of migrations) {
    const key = cache && (await FindingsCache.keyOf(m));
    const known = key === undefined ? undefined : cache?.get(m, key);
    if (known) {
      findings.push(...known.findings);
      suppressed.push(...known.suppressed);
      continue;
    }
    const [f, s] = [findings.length, suppressed.length];
    const prepared = await prepareMigration(m);
    for (const rule of rules) for (const r of rule.check?.(prepared) ?? []) add(rule, m, r);
    if (key !== undefined) cache?.set(m, key, { findings: findings.slice(f), suppressed: suppressed.slice(s) });
  }
  cache?.save(new Set(chain.map((m) => m.file)));
  return { findings: inFileOrder(findings), suppressed: inFileOrder(suppressed) };
}

/**
 * Findings by revision, then file, then line (a stable sort). Revisions and
 * files are compared once per distinct pair, not in each of the thousands of
 * comparisons of a large run.
 */
function inFileOrder<F extends Finding>(list: F[]): F[] {
  const byPair = (a: Finding, b: Finding) => compareRevisions(a.revision, b.revision) || a.file.localeCompare(b.file);
  const firstOf = new Map<string, F>();
  for (const f of list) if (!firstOf.has(pairKey(f))) firstOf.set(pairKey(f), f);
  const pairs = [...firstOf.values()].sort(byPair);
  const rank = new Map<string, number>();
  pairs.forEach((p, i) => rank.set(pairKey(p), i > 0 && byPair(p, pairs[i - 1]) === 0 ? rank.get(pairKey(pairs[i - 1]))! : i));
  return list
    .map((f) => ({ f, rank: rank.get(pairKey(f))!, line: f.line ?? 0, column: f.column ?? 0 }))
    .sort((a, b) => a.rank - b.rank || a.line - b.line || a.column - b.column)
    .map((x) => x.f);
}

/** Where a rule's page is, in Sluice's docs. */
export const ruleDocs = (id: string) => `docs/checks/${id}.md`;

const pairKey = (f: Finding) => `${f.revision}\0${f.file}`;

/** Whether any finding stops an upgrade. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error");
}
