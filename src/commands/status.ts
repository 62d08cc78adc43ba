import type { Chain } from "../chain/graph.js";
import { appliedHeads, compareRevisions } from "../chain/graph.js";
import type { AppliedRevision } from "../runner/version-table.js";

/** An applied revision whose file changed since it was applied, or whose file is gone. */
export interface Drifted {
  readonly revision: string;
  readonly file: string | null;
  readonly problem: "changed" | "missing";
}

export interface ChainStatus {
  readonly current: string[];
  readonly head: string | null;
  readonly heads: string[];
  readonly next: string;
  readonly pending: string[];
  readonly drifted: Drifted[];
}

/** Where the database stands relative to the chain on disk. */
export function chainStatus(chain: Chain, applied: readonly AppliedRevision[]): ChainStatus {
  const appliedSet = new Set(applied.map((a) => a.revision));
  const drifted: Drifted[] = [];
  for (const a of applied) {
    const m = chain.get(a.revision);
    if (!m) drifted.push({ revision: a.revision, file: null, problem: "missing" });
    else if (m.checksum !== a.checksum) drifted.push({ revision: a.revision, file: m.file, problem: "changed" });
  }
  // Heads of the applied set; revisions without files count by their recorded parents.
  const below = new Set(applied.flatMap((a) => a.downRevisions));
  const current = chain.migrations.length
    ? [...new Set([...appliedHeads(chain, appliedSet.values()).filter((r) => !below.has(r))])]
    : [];
  for (const a of applied) if (!chain.get(a.revision) && !below.has(a.revision) && !current.includes(a.revision)) current.push(a.revision);
  current.sort(compareRevisions);
  return {
    current,
    head: chain.heads.length === 1 ? chain.heads[0] : chain.heads.length ? chain.heads.join(",") : null,
    heads: [...chain.heads],
    next: chain.next,
    pending: chain.migrations.filter((m) => !appliedSet.has(m.revision)).map((m) => m.revision),
    drifted,
  };
}

export function driftWarnings(drifted: readonly Drifted[]): string[] {
  return drifted.map((d) =>
    d.problem === "changed"
      ? `warning: ${d.file} (revision ${d.revision}) changed after it was applied; the database ran the earlier version.`
      : `warning: revision ${d.revision} is applied but no migration file declares it.`,
  );
}
