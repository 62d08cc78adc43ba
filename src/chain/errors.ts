import { SluiceError } from "../errors.js";

/** A migration file that cannot be read as a migration. */
export class MigrationFileError extends SluiceError {
  constructor(file: string, message: string, hint?: string, line?: number) {
    super("migration-file", `${file}${line ? `:${line}` : ""}: ${message}`, { hint, details: { file, line } });
  }
}

export class DuplicateRevision extends SluiceError {
  constructor(revision: string, files: string[]) {
    super("duplicate-revision", `Revision ${revision} is declared by more than one file: ${files.join(", ")}.`, {
      hint: "Two branches added the same number: run `sluice rebase` (with --base origin/main, the branch merged) to renumber the one not applied after the other's head.",
      details: { revision, files },
    });
  }
}

export class UnknownDownRevision extends SluiceError {
  constructor(revision: string, file: string, missing: string) {
    super("unknown-down-revision", `${file}: revision ${revision} has down revision ${missing}, but no migration has that revision.`, {
      hint: "Point downRevision at an existing revision (`sluice heads` shows the current head).",
      details: { revision, file, missing },
    });
  }
}

export class CycleDetected extends SluiceError {
  constructor(revisions: string[]) {
    super("cycle", `The revision chain has a cycle: ${revisions.join(" → ")}.`, {
      hint: "One of these migrations names a successor as its down revision; fix its downRevision.",
      details: { revisions },
    });
  }
}

export class MultipleHeads extends SluiceError {
  constructor(heads: string[], what: string) {
    super("multiple-heads", `The chain has several heads (${heads.join(", ")}); ${what} needs one.`, {
      hint: `Two branches built on the same revision: run \`sluice rebase\` to put the unapplied ones after the other head, merge them with \`sluice merge -m "merge heads"\`, or name a revision explicitly.`,
      details: { heads },
    });
  }
}

export class UnknownTarget extends SluiceError {
  constructor(target: string, message: string, hint?: string) {
    super("unknown-target", message, { hint: hint ?? "Use head, base, +N, -N, a revision id or a unique prefix of one (`sluice history` lists them).", details: { target } });
  }
}
