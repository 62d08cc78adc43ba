import type { Migration } from "../../chain/files.js";
import { compareRevisions } from "../../chain/graph.js";
import type { Report, Rule } from "../types.js";
import { declarationLine } from "../source.js";

type ChainReport = Report & { migration: Migration };

/** Revisions on a cycle of down revisions, in walking order. */
function cycles(migrations: readonly Migration[], byRev: Map<string, Migration>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  for (const start of migrations) {
    const path: string[] = [];
    const onPath = new Set<string>();
    const visit = (rev: string): void => {
      if (onPath.has(rev)) {
        const cycle = path.slice(path.indexOf(rev));
        if (!found.some((c) => c.includes(rev))) found.push([...cycle, rev]);
        return;
      }
      if (done.has(rev) || !byRev.has(rev)) return;
      path.push(rev);
      onPath.add(rev);
      for (const d of byRev.get(rev)!.downRevisions) visit(d);
      path.pop();
      onPath.delete(rev);
      done.add(rev);
    };
    visit(start.revision);
  }
  return found;
}

/**
 * Checklist 5: each down revision points at the right predecessor: one head,
 * file numbers sequential with no gaps or duplicates, each file's number equal
 * to its revision, no cycles, no orphans.
 */
export const revisionChain: Rule = {
  id: "revision-chain",
  category: "checklist",
  severity: "error",
  summary: "The down revision is not the correct predecessor: several heads, a gap or duplicate number, a file named for another revision, a cycle or an orphan.",
  checkChain({ migrations }) {
    const out: ChainReport[] = [];
    const at = (m: Migration, key: string, message: string, fix: string) => out.push({ migration: m, line: declarationLine(m, key), message, fix });
    const byRev = new Map<string, Migration>();
    for (const m of migrations) {
      const other = byRev.get(m.revision);
      if (other) at(m, "revision", `Revision ${m.revision} is also declared by ${other.file}: a collision of two branches.`, "Run `sluice rebase` (--base origin/main for the branch merged) to renumber the migration not yet applied after the other's head.");
      else byRev.set(m.revision, m);
      if (m.revision !== m.fileNumber) {
        at(m, "revision", `The file is numbered ${m.fileNumber} but declares revision ${m.revision}.`, `Make them agree: rename the file to ${m.revision}_… or set the revision to "${m.fileNumber}".`);
      }
    }
    const byNumber = [...migrations].sort((a, b) => compareRevisions(a.fileNumber, b.fileNumber) || a.file.localeCompare(b.file));
    for (let i = 1; i < byNumber.length; i++) {
      const [prev, m] = [byNumber[i - 1], byNumber[i]];
      const [a, b] = [Number(prev.fileNumber), Number(m.fileNumber)];
      if (a === b) at(m, "revision", `File number ${m.fileNumber} is used twice (also ${prev.file}): a collision of two branches.`, "Run `sluice rebase` to renumber the file not yet applied after the other's head.");
      else if (Number.isInteger(a) && Number.isInteger(b) && b > a + 1) {
        at(m, "revision", `Numbers jump from ${prev.fileNumber} to ${m.fileNumber}: ${b - a - 1 === 1 ? `${String(a + 1).padStart(prev.fileNumber.length, "0")} is` : `${b - a - 1} numbers are`} missing.`, `Renumber this migration to ${String(a + 1).padStart(prev.fileNumber.length, "0")} (file name and revision), or restore the missing file.`);
      }
    }
    const referenced = new Set(migrations.flatMap((m) => m.downRevisions));
    const bases = byNumber.filter((m) => m.downRevisions.length === 0);
    for (const m of bases.slice(1)) {
      at(m, "downRevision", `Revision ${m.revision} has no down revision, so it starts a second history beside ${bases[0].revision} (an orphan).`, `Set its downRevision to the revision before it (${byNumber[byNumber.indexOf(m) - 1]?.revision ?? bases[0].revision}).`);
    }
    for (const m of migrations) {
      for (const d of m.downRevisions) {
        if (!byRev.has(d)) at(m, "downRevision", `Down revision ${d} does not exist: no migration declares it (an orphan).`, "Point the down revision at the migration this one builds on (`sluice heads` shows the head).");
      }
      // A single parent should be the migration numbered just before (merges and branches aside).
      const i = byNumber.indexOf(m);
      const prev = byNumber[i - 1];
      if (m.downRevisions.length === 1 && prev && byRev.has(m.downRevisions[0]) && m.downRevisions[0] !== prev.revision && prev.fileNumber !== m.fileNumber) {
        const prevIsMergedBranch = migrations.some((x) => x.downRevisions.length > 1 && x.downRevisions.includes(prev.revision));
        if (!prevIsMergedBranch && !m.downRevisions.includes(prev.revision)) {
          at(m, "downRevision", `Down revision is ${m.downRevisions[0]}, but the migration before this one is ${prev.revision} (${prev.file}).`, `Set the down revision to "${prev.revision}" so the chain stays one line.`);
        }
      }
    }
    for (const cycle of cycles(migrations, byRev)) {
      const m = byRev.get(cycle[0])!;
      at(m, "downRevision", `The down revisions form a cycle: ${cycle.join(" → ")}.`, "One of these names a later migration as its down revision; point it at the one before it.");
    }
    const heads = byNumber.filter((m) => !referenced.has(m.revision) && byRev.get(m.revision) === m);
    if (heads.length > 1) {
      const last = heads[heads.length - 1];
      at(last, "downRevision", `The chain has ${heads.length} heads (${heads.map((h) => h.revision).join(", ")}): two migrations build on the same predecessor (a collision of two branches).`, `Run \`sluice rebase\` to put the unapplied ones after ${heads[heads.length - 2].revision}, or join the heads with \`sluice merge -m "…"\`.`);
    }
    return out;
  },
};
