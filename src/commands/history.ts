import { openProject, withDatabase, databaseExists, type CommonOptions } from "./context.js";
import { readApplied } from "../runner/version-table.js";

export interface HistoryEntry {
  revision: string;
  downRevisions: string[];
  message: string;
  file: string | null;
  applied: boolean;
  appliedAt: string | null;
  transactional: boolean;
  /** Whether the file changed after it was applied. */
  changed: boolean;
}

export interface HistoryResult {
  /** Newest first. */
  revisions: HistoryEntry[];
  heads: string[];
}

/** The chain, newest first, with what is applied and when. */
export async function history(opts: CommonOptions = {}): Promise<HistoryResult> {
  const project = await openProject(opts);
  const applied = databaseExists(project) ? await withDatabase(project, opts, (db) => readApplied(db)) : [];
  const byRev = new Map(applied.map((a) => [a.revision, a]));
  const revisions: HistoryEntry[] = project.chain.migrations.map((m) => {
    const a = byRev.get(m.revision);
    return {
      revision: m.revision,
      downRevisions: [...m.downRevisions],
      message: m.message,
      file: m.file,
      applied: !!a,
      appliedAt: a?.appliedAt ?? null,
      transactional: m.transactional,
      changed: !!a && a.checksum !== m.checksum,
    };
  });
  for (const a of applied) {
    if (!project.chain.get(a.revision)) {
      revisions.push({ revision: a.revision, downRevisions: [...a.downRevisions], message: a.message, file: null, applied: true, appliedAt: a.appliedAt, transactional: true, changed: false });
    }
  }
  return { revisions: revisions.reverse(), heads: [...project.chain.heads] };
}

export interface HeadsResult {
  heads: { revision: string; message: string; file: string }[];
}

/** The chain's head revisions (more than one means branches to merge). */
export async function heads(opts: CommonOptions = {}): Promise<HeadsResult> {
  const { chain } = await openProject(opts);
  return { heads: chain.heads.map((r) => ({ revision: r, message: chain.get(r)!.message, file: chain.get(r)!.file })) };
}
