import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cacheDir, loadConfig } from "../config/config.js";
import { discoverMigrations, MIGRATION_FILE, type Migration } from "../chain/files.js";
import { buildChain, compareRevisions } from "../chain/graph.js";
import { openDatabase } from "../db/open.js";
import { readApplied, useVersionTable } from "../runner/version-table.js";
import { SluiceError } from "../errors.js";
import type { CommonOptions } from "./context.js";

export interface RebaseOptions extends CommonOptions {
  /** The revision to build on; default the single head of the migrations that stay. */
  onto?: string;
  /** A git ref whose migration files count as published (never renumbered), e.g. "origin/main". */
  base?: string;
  /** Compute the plan; rename and rewrite nothing. */
  dryRun?: boolean;
}

export interface RebaseMove {
  readonly file: string;
  readonly newFile: string;
  readonly revision: string;
  readonly newRevision: string;
  readonly downRevision: string;
}

export interface RebaseResult {
  /** The renumbered migrations, in their new order; empty when nothing collided. */
  readonly moves: readonly RebaseMove[];
  /** The revision the moved migrations now build on. */
  readonly onto: string | null;
  /** Whether files were moved with `git mv`. */
  readonly git: boolean;
  readonly dryRun: boolean;
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch {
    return null;
  }
}

function refusal(message: string, hint: string): SluiceError {
  return new SluiceError("usage", message, { hint });
}

/** The file's text with its revision and down revision replaced, or a refusal naming what it could not find. */
function rewriteHeader(m: Migration, text: string, revision: string, down: string): string {
  const replaceOnce = (re: RegExp, by: string, what: string): void => {
    const hits = text.match(new RegExp(re.source, "gm"))?.length ?? 0;
    if (hits !== 1) throw refusal(`${m.file}: found ${hits} ${what} declarations, so it cannot be renumbered safely.`, "Leave one declaration in the file, or renumber it by hand.");
    text = text.replace(new RegExp(re.source, "m"), by);
  };
  if (m.format === "sql") {
    replaceOnce(/^-- sluice:revision .*$/, `-- sluice:revision ${revision}`, "`-- sluice:revision`");
    replaceOnce(/^-- sluice:down-revision .*$/, `-- sluice:down-revision ${down}`, "`-- sluice:down-revision`");
  } else {
    replaceOnce(/\brevision:\s*(["'`])[^"'`]*\1/, `revision: "${revision}"`, "`revision:`");
    replaceOnce(/\bdownRevision:\s*("[^"]*"|'[^']*'|`[^`]*`|null|\[[^\]]*\])/, `downRevision: "${down}"`, "`downRevision:`");
  }
  return text;
}

/**
 * `sluice rebase`: after merging a branch that added migrations with the same
 * numbers as this one's, renumbers the migrations that no database has applied
 * (not in the target's version table, not on `base` in git) after the other
 * branch's head, one line again: file names, revisions and down revisions are
 * rewritten, with `git mv` in a git work tree. Applied migrations keep their numbers.
 *
 * @example
 * const r = await rebase({ cwd: "./app", base: "origin/main" });
 * for (const m of r.moves) console.log(`${m.file} → ${m.newFile}`);
 */
export async function rebase(opts: RebaseOptions = {}): Promise<RebaseResult> {
  const config = await loadConfig({ cwd: opts.cwd, configPath: opts.config, url: opts.url });
  const migrations = await discoverMigrations(config.migrationsDir, { root: config.root, cacheDir: cacheDir(config.root), maxFileBytes: config.maxMigrationFileBytes });
  const inGit = git(config.root, ["rev-parse", "--is-inside-work-tree"])?.trim() === "true";
  if (inGit && !opts.dryRun) {
    const dirty = git(config.root, ["status", "--porcelain", "--untracked-files=no"])?.trim();
    if (dirty) throw refusal(`The git work tree has uncommitted changes:\n${dirty}`, "Commit or stash them first (finish the merge with `git commit`), so the renumbering is a change of its own.");
  }

  // Which files stay: those the database applied (same revision and checksum) and those on the base ref.
  const fixed = new Set<Migration>();
  const t = config.database;
  const hasDatabase = t.kind === "pg" || t.dataDir === null || fs.existsSync(path.join(t.dataDir, "PG_VERSION"));
  const db = hasDatabase ? useVersionTable(await openDatabase(t, { onWait: opts.log }), config.versionTable) : null;
  if (db) try {
    const applied = new Map((await readApplied(db)).map((a) => [a.revision, a.checksum]));
    for (const m of migrations) if (applied.get(m.revision) === m.checksum) fixed.add(m);
    for (const [revision] of applied) {
      if (![...fixed].some((m) => m.revision === revision)) {
        const files = migrations.filter((m) => m.revision === revision);
        if (files.length === 1) fixed.add(files[0]);
        else if (files.length > 1) throw refusal(`Revision ${revision} is applied on the database, but none of ${files.map((f) => f.file).join(", ")} has the checksum it was applied with.`, "Pass --base with the branch that holds the applied file (e.g. --base origin/main).");
      }
    }
  } finally {
    await db.close();
  }
  if (opts.base) {
    if (!inGit) throw refusal(`--base ${opts.base} needs a git work tree, and ${config.root} is not in one.`, "Run sluice rebase inside the repository, or leave out --base.");
    const dir = path.relative(config.root, config.migrationsDir).split(path.sep).join("/") || ".";
    const listed = git(config.root, ["ls-tree", "--name-only", `${opts.base}:${dir}`]);
    if (listed === null) throw refusal(`git cannot read ${dir} at ${opts.base}.`, "Name a branch or commit that exists and holds the migrations folder (git branch -a lists them).");
    const names = new Set(listed.split("\n").filter(Boolean));
    for (const m of migrations) if (names.has(path.basename(m.file))) fixed.add(m);
  }

  const stay = migrations.filter((m) => fixed.has(m));
  const move = migrations.filter((m) => !fixed.has(m)).sort((a, b) => compareRevisions(a.fileNumber, b.fileNumber) || a.file.localeCompare(b.file));
  const movingRevisions = new Map<string, number>();
  for (const m of move) movingRevisions.set(m.revision, (movingRevisions.get(m.revision) ?? 0) + 1);
  const ambiguous = [...movingRevisions].filter(([, n]) => n > 1).map(([r]) => r);
  if (ambiguous.length) {
    throw refusal(`Revision ${ambiguous.join(", ")} is declared by several files and none of them is applied or on a base branch, so Sluice cannot tell which one keeps its number.`, "Pass --base with the branch you merged (e.g. --base origin/main): its files keep their numbers.");
  }
  for (const m of move) {
    if (m.downRevisions.length > 1) throw refusal(`${m.file} is a merge migration (down revisions ${m.downRevisions.join(", ")}); rebase puts the chain in one line instead.`, "Delete the merge migration, then run sluice rebase again.");
  }
  const base = buildChain(stay);
  let onto: string | null;
  if (opts.onto) {
    if (!base.get(opts.onto)) throw refusal(`--onto ${opts.onto} is not a migration that stays (applied or on the base branch).`, `Name one of: ${base.heads.join(", ") || "(none)"}.`);
    onto = opts.onto;
  } else if (base.heads.length > 1) {
    throw refusal(`The migrations that keep their numbers have several heads (${base.heads.join(", ")}).`, "Name the one to build on with --onto REV.");
  } else onto = base.heads[0] ?? null;

  const width = Math.max(3, ...migrations.map((m) => m.fileNumber.length));
  let next = Math.max(0, ...stay.map((m) => Number(m.fileNumber)).filter(Number.isFinite)) + 1;
  let previous = onto;
  const moves: RebaseMove[] = [];
  const rewrites: { m: Migration; from: string; to: string; text: string }[] = [];
  for (const m of move) {
    const revision = String(next++).padStart(width, "0");
    const down = previous ?? "none";
    const unchanged = revision === m.revision && (m.downRevisions[0] ?? null) === previous;
    previous = revision;
    if (unchanged) continue;
    const slug = MIGRATION_FILE.exec(path.basename(m.file))!;
    const newName = `${revision}_${slug[2]}.${slug[3]}`;
    const newFile = path.posix.join(path.posix.dirname(m.file), newName);
    const text = rewriteHeader(m, fs.readFileSync(m.absPath, "utf8"), revision, down === "none" && m.format === "ts" ? "null" : down);
    moves.push({ file: m.file, newFile, revision: m.revision, newRevision: revision, downRevision: down });
    rewrites.push({ m, from: m.absPath, to: path.join(path.dirname(m.absPath), newName), text });
  }
  if (opts.dryRun || !moves.length) return { moves, onto, git: inGit, dryRun: !!opts.dryRun };

  for (const r of rewrites) {
    if (r.from !== r.to && fs.existsSync(r.to) && !rewrites.some((o) => o.from === r.to)) throw refusal(`${path.relative(config.root, r.to)} exists already.`, "Move it out of the way, then run sluice rebase again.");
  }
  // Two passes through temporary names, so a move onto a name another move frees never overwrites it.
  const tracked = (file: string) => inGit && git(config.root, ["ls-files", "--error-unmatch", file]) !== null;
  const staged = rewrites.map((r, i) => ({ ...r, tmp: path.join(path.dirname(r.from), `.sluice-rebase-${i}-${path.basename(r.to)}`), git: tracked(r.from) }));
  const mv = (from: string, to: string, useGit: boolean) => {
    if (useGit) execFileSync("git", ["mv", from, to], { cwd: config.root, stdio: "ignore" });
    else fs.renameSync(from, to);
  };
  for (const s of staged) mv(s.from, s.tmp, s.git);
  for (const s of staged) {
    mv(s.tmp, s.to, s.git);
    fs.writeFileSync(s.to, s.text);
  }
  if (inGit) git(config.root, ["add", "--", ...staged.filter((s) => s.git).map((s) => s.to)]);
  return { moves, onto, git: inGit, dryRun: false };
}
