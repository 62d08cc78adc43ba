import type { Migration } from "./files.js";
import { CycleDetected, DuplicateRevision, MultipleHeads, UnknownDownRevision, UnknownTarget } from "./errors.js";
import { SluiceError } from "../errors.js";

/**
 * The revision graph (revision → down revisions) and every question asked of
 * it: heads, bases, ancestry, order, and what a target means.
 */
export interface Chain {
  /** Migrations from base to head (a topological order, ties by revision). */
  readonly migrations: readonly Migration[];
  readonly heads: readonly string[];
  get(revision: string): Migration | undefined;
  /** The revision and everything below it. */
  ancestors(revision: string): Set<string>;
  /** The next sequential file number, zero-padded to 3 digits. */
  readonly next: string;
}

export function buildChain(migrations: readonly Migration[]): Chain {
  const byRev = new Map<string, Migration>();
  for (const m of migrations) {
    const other = byRev.get(m.revision);
    if (other) throw new DuplicateRevision(m.revision, [other.file, m.file]);
    byRev.set(m.revision, m);
  }
  for (const m of migrations) {
    for (const d of m.downRevisions) if (!byRev.has(d)) throw new UnknownDownRevision(m.revision, m.file, d);
  }
  const ordered = topologicalOrder(migrations, byRev);
  const referenced = new Set(migrations.flatMap((m) => m.downRevisions));
  const heads = ordered.filter((m) => !referenced.has(m.revision)).map((m) => m.revision);
  const ancestorCache = new Map<string, Set<string>>();
  const ancestors = (rev: string): Set<string> => {
    let set = ancestorCache.get(rev);
    if (set) return set;
    set = new Set();
    const stack = [rev];
    while (stack.length) {
      const r = stack.pop()!;
      if (set.has(r)) continue;
      set.add(r);
      for (const d of byRev.get(r)?.downRevisions ?? []) stack.push(d);
    }
    ancestorCache.set(rev, set);
    return set;
  };
  const maxNumber = migrations.reduce((max, m) => Math.max(max, Number(m.fileNumber)), 0);
  return {
    migrations: ordered,
    heads,
    get: (r) => byRev.get(r),
    ancestors,
    next: String(maxNumber + 1).padStart(3, "0"),
  };
}

/** Kahn's algorithm from the bases up; what is left over sits on a cycle. */
function topologicalOrder(migrations: readonly Migration[], byRev: Map<string, Migration>): Migration[] {
  const children = new Map<string, string[]>();
  const pending = new Map<string, number>();
  for (const m of migrations) {
    pending.set(m.revision, new Set(m.downRevisions).size);
    for (const d of new Set(m.downRevisions)) children.set(d, [...(children.get(d) ?? []), m.revision]);
  }
  const compare = (a: string, b: string) => compareRevisions(a, b);
  const ready = migrations.filter((m) => m.downRevisions.length === 0).map((m) => m.revision).sort(compare);
  const out: Migration[] = [];
  while (ready.length) {
    const r = ready.shift()!;
    out.push(byRev.get(r)!);
    for (const c of children.get(r) ?? []) {
      const left = pending.get(c)! - 1;
      pending.set(c, left);
      if (left === 0) {
        ready.push(c);
        ready.sort(compare);
      }
    }
  }
  if (out.length < migrations.length) {
    const done = new Set(out.map((m) => m.revision));
    throw new CycleDetected(findCycle(migrations.filter((m) => !done.has(m.revision)), byRev));
  }
  return out;
}

function findCycle(left: Migration[], byRev: Map<string, Migration>): string[] {
  // Walk down revisions from any leftover node until one repeats.
  let r = left[0].revision;
  const seen: string[] = [];
  while (!seen.includes(r)) {
    seen.push(r);
    r = byRev.get(r)!.downRevisions.find((d) => left.some((m) => m.revision === d)) ?? r;
  }
  const cycle = seen.slice(seen.indexOf(r));
  return [...cycle.reverse(), cycle[0]];
}

/**
 * What two branches merged with the same numbers leave: a revision declared by
 * several files, or a revision that several migrations name as their only down
 * revision (two heads from one parent). `sluice rebase` resolves both.
 */
export function collisions(migrations: readonly Pick<Migration, "revision" | "downRevisions">[]): string[] {
  const count = (keys: string[]) => [...keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].filter(([, n]) => n > 1).map(([k]) => k);
  const declared = count(migrations.map((m) => m.revision));
  // Branches joined by a merge migration are not a collision: only a chain left with several heads is.
  const referenced = new Set(migrations.flatMap((m) => m.downRevisions));
  const heads = migrations.filter((m) => !referenced.has(m.revision)).length;
  // One revision declared twice is one collision, not also two children of its parent.
  const distinct = [...new Map(migrations.map((m) => [m.revision, m])).values()];
  const parents = heads > 1 ? count(distinct.filter((m) => m.downRevisions.length === 1).map((m) => m.downRevisions[0])) : [];
  return [...new Set([...declared, ...parents])].sort(compareRevisions);
}

/** Orders revision ids numerically when both are numbers, else as strings. */
export function compareRevisions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b) || a.localeCompare(b);
  return a.localeCompare(b);
}

/** The heads of a set of applied revisions: those no other applied revision builds on. */
export function appliedHeads(chain: Chain, applied: Iterable<string>): string[] {
  const set = new Set(applied);
  const below = new Set<string>();
  for (const r of set) for (const d of chain.get(r)?.downRevisions ?? []) below.add(d);
  return [...set].filter((r) => !below.has(r)).sort(compareRevisions);
}

export function singleHead(chain: Chain, what: string): string | null {
  if (chain.heads.length > 1) throw new MultipleHeads([...chain.heads], what);
  return chain.heads[0] ?? null;
}

/** Resolves a revision id or a unique prefix of one. */
export function resolveRevision(chain: Chain, id: string): string {
  if (chain.get(id)) return id;
  const matches = chain.migrations.filter((m) => m.revision.startsWith(id)).map((m) => m.revision);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UnknownTarget(id, `Revision prefix ${id} is ambiguous: it matches ${matches.join(", ")}.`, "Give more characters of the revision id.");
  throw new UnknownTarget(id, `No migration has revision ${id}.`);
}

export interface Plan {
  /** Revisions to run, in the order they run. */
  readonly revisions: readonly string[];
  /** The revision(s) the database is at afterwards ([] for base). */
  readonly to: readonly string[];
}

/** What `upgrade TARGET` runs: the target's missing ancestors, base first. */
export function planUpgrade(chain: Chain, applied: ReadonlySet<string>, target: string): Plan {
  let targets: string[];
  if (target === "head") {
    targets = chain.heads.length > 1 ? (() => { throw new MultipleHeads([...chain.heads], "`upgrade head`"); })() : [...chain.heads];
  } else if (target === "heads") {
    targets = [...chain.heads];
  } else if (/^\+\d+$/.test(target)) {
    const steps = Number(target.slice(1));
    const order = chain.migrations.filter((m) => !applied.has(m.revision));
    // Relative steps only make sense along one line of history.
    if (chain.heads.length > 1 && order.length) throw new MultipleHeads([...chain.heads], `\`upgrade ${target}\``);
    if (steps > order.length) {
      throw new UnknownTarget(target, `Cannot upgrade ${steps} step(s): only ${order.length} migration(s) are pending.`, "Use `sluice upgrade head`, or a smaller step.");
    }
    targets = steps === 0 ? [] : [order[steps - 1].revision];
  } else if (target === "base" || /^-\d+$/.test(target)) {
    throw new UnknownTarget(target, `\`upgrade ${target}\` goes down, not up.`, `Use \`sluice downgrade ${target}\`.`);
  } else {
    targets = [resolveRevision(chain, target)];
  }
  const want = new Set<string>();
  for (const t of targets) for (const a of chain.ancestors(t)) want.add(a);
  const revisions = chain.migrations.filter((m) => want.has(m.revision) && !applied.has(m.revision)).map((m) => m.revision);
  return { revisions, to: appliedHeads(chain, new Set([...applied, ...revisions])) };
}

/** What `downgrade TARGET` runs: every applied revision above the target, newest first. */
export function planDowngrade(chain: Chain, applied: ReadonlySet<string>, target: string): Plan {
  let keep: Set<string>;
  if (target === "base") {
    keep = new Set();
  } else if (/^-\d+$/.test(target)) {
    const steps = Number(target.slice(1));
    const current = appliedHeads(chain, applied);
    if (current.length > 1) throw new MultipleHeads(current, `\`downgrade ${target}\``);
    let rev: string | undefined = current[0];
    for (let i = 0; i < steps; i++) {
      if (rev === undefined) {
        throw new SluiceError("past-base", `Cannot downgrade ${steps} step(s): the database is only ${i} step(s) above base.`, {
          hint: "Use `sluice downgrade base` to undo every migration.",
        });
      }
      const downs: readonly string[] = chain.get(rev)?.downRevisions ?? [];
      if (downs.length > 1) throw new UnknownTarget(target, `Revision ${rev} merges ${downs.join(", ")}; a relative downgrade cannot choose between them.`, "Name the revision to downgrade to.");
      rev = downs[0];
    }
    keep = rev === undefined ? new Set() : chain.ancestors(rev);
  } else if (target === "head" || /^\+\d+$/.test(target)) {
    throw new UnknownTarget(target, `\`downgrade ${target}\` goes up, not down.`, `Use \`sluice upgrade ${target}\`.`);
  } else {
    const rev = resolveRevision(chain, target);
    if (!applied.has(rev)) {
      throw new UnknownTarget(target, `Revision ${rev} is not applied, so there is nothing to downgrade to.`, "`sluice current` shows where the database is; downgrade to one of its ancestors.");
    }
    keep = chain.ancestors(rev);
  }
  const order = chain.migrations.filter((m) => applied.has(m.revision) && !keep.has(m.revision)).map((m) => m.revision).reverse();
  const remaining = new Set([...applied].filter((r) => keep.has(r)));
  return { revisions: order, to: appliedHeads(chain, remaining) };
}
