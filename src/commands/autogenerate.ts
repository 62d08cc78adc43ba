import path from "node:path";
import { openProject, databaseExists, type CommonOptions, type Project } from "./context.js";
import { cacheDir } from "../config/config.js";
import { migrationMessage, writeMigration, type RevisionResult } from "./revision.js";
import { commentLine } from "../text.js";
import { MultipleHeads } from "../chain/errors.js";
import { appliedHeads } from "../chain/graph.js";
import type { Db } from "../db/types.js";
import { openDatabase } from "../db/open.js";
import { parseDatabaseUrl } from "../db/url.js";
import { SluiceError } from "../errors.js";
import { compileModel, loadModel, roleNames, withoutLeftAlone, type Model, type ScratchTarget } from "../model/index.js";
import { readApplied, useVersionTable } from "../runner/version-table.js";
import { introspect, introspectRoles } from "../schema/introspect.js";
import type { Schema } from "../schema/types.js";
import { diffSchemas, type Change } from "../autogen/compare/index.js";
import { renderChanges } from "../autogen/render.js";
import { planSafe } from "../autogen/safe.js";
import { candidateRename, findRenameCandidates, parseRenames, type Rename, type RenameCandidate } from "../autogen/renames.js";

export interface ModelComparisonOptions extends CommonOptions {
  /** Compute the current schema by replaying the chain on an embedded shadow database instead of reading the database. */
  fromChain?: boolean;
  /** An empty database on the target's PostgreSQL version to compile the model in (instead of a scratch database Sluice creates). */
  devUrl?: string;
}

export interface ModelComparison {
  readonly project: Project;
  readonly model: Model;
  /** The schema now: the database's, or the chain's with `fromChain`. */
  readonly current: Schema;
  /** The schema the model describes. */
  readonly desired: Schema;
  /** What `current` was read from, safe to print. */
  readonly currentSource: string;
}

/**
 * Reads the model and the current schema, each normalized by the same
 * PostgreSQL version: the model is compiled on PGlite for an embedded
 * database or `fromChain`, and on a scratch database of the target's server
 * (or `devUrl`) otherwise.
 */
export async function compareWithModel(opts: ModelComparisonOptions, check: { atHead: boolean } = { atHead: false }): Promise<ModelComparison> {
  const project = await openProject(opts);
  const modelLoading = loadModel(project.config);
  modelLoading.catch(() => {}); // awaited below, after other work may have started
  const configured = project.config.config.schemas as string[] | undefined;
  if (opts.fromChain) {
    const model = await modelLoading;
    if (project.chain.heads.length > 1) throw new MultipleHeads([...project.chain.heads], "--from-chain");
    const { openPglite, pgliteLacks } = await import("../db/pglite.js");
    const { extensionsCreatedBy } = await import("../verify/shadow.js");
    const needed = await extensionsCreatedBy(project.chain.migrations);
    const shadow = await openPglite(null, { extensions: needed.filter((n) => !pgliteLacks([n]).length) });
    try {
      await replayChain(shadow, project);
      const compiled = await compileModel(model, { kind: "pglite" }, { extensions: await extensionsOf(shadow), schemas: configured, cacheFile: cacheFile(project, "pglite"), prepare: (db) => replayChain(db, project) });
      const current = await introspect(shadow, { schemas: compiled.schemas, roles: roleNames(model) });
      await compiled.disposed;
      return { project, model, current: withoutLeftAlone(current, model), desired: compiled.schema, currentSource: "the chain, replayed on embedded PGlite" };
    } finally {
      await shadow.close();
    }
  }

  const target = project.config.database;
  if (!databaseExists(project)) {
    // An embedded database not created yet is empty: compare without creating it.
    if (check.atHead && project.chain.heads.length) notAtHead([], project);
    const model = await modelLoading;
    const compiled = await compileModel(model, { kind: "pglite" }, {
      schemas: configured,
      cacheFile: cacheFile(project, "pglite"),
      prepare: (db) => replayChain(db, project),
      prepareExtensions: async () => (await import("../verify/shadow.js")).extensionsCreatedBy(project.chain.migrations),
    });
    await compiled.disposed;
    return { project, model, current: emptySchema(compiled.schemas), desired: compiled.schema, currentSource: target.displayUrl };
  }
  // The database is opened and read while the model loads: on a large schema each takes a second or so.
  // It is read in the schemas the model will most likely use; if the compiled model names others, it is read again.
  const opening = openDatabase(target, { onWait: opts.log }).then((db) => useVersionTable(db, project.config.versionTable));
  const guess = configured ?? ["public"];
  const reading = opening.then((db) => introspect(db, { schemas: guess }));
  reading.catch(() => {});
  let model: Model;
  try {
    model = await modelLoading;
  } catch (err) {
    await opening.then((db) => reading.then(settled, settled).then(() => db.close()), settled);
    throw err;
  }
  const db = await opening;
  try {
    if (check.atHead) {
      const applied = (await readApplied(db)).map((a) => a.revision);
      const at = appliedHeads(project.chain, applied);
      const heads = [...project.chain.heads].sort();
      if (at.join(",") !== heads.join(",")) notAtHead(at, project);
    }
    const devUrl = opts.devUrl ?? (project.config.config.devUrl as string | undefined);
    const scratch = await scratchFor(db, target.kind === "pg" ? target.url : undefined, devUrl);
    const compiled = await compileModel(model, scratch, {
      extensions: await extensionsOf(db),
      schemas: configured,
      cacheFile: cacheFile(project, scratch.kind === "pglite" ? "pglite" : "server"),
      log: opts.log,
      prepare: (db) => replayChain(db, project),
    });
    const sameSchemas = [...compiled.schemas].sort().join(",") === [...guess].sort().join(",");
    const read = sameSchemas ? await reading : await introspect(db, { schemas: compiled.schemas });
    const current = { ...read, roles: await introspectRoles(db, roleNames(model)) };
    await compiled.disposed;
    return { project, model, current: withoutLeftAlone(current, model), desired: compiled.schema, currentSource: target.displayUrl };
  } finally {
    await reading.then(settled, settled);
    await db.close();
  }
}

/** Where the compiled model is kept between runs; one file per kind of scratch, so embedded and server runs do not evict each other. */
function cacheFile(project: Project, kind: "pglite" | "server"): string {
  return path.join(cacheDir(project.config.root), `model-${kind}.json`);
}

const settled = () => {};

function notAtHead(at: readonly string[], project: Project): never {
  const heads = project.chain.heads;
  throw new SluiceError("not-at-head", `Target database is not up to date: it is at ${at.length ? at.join(", ") : "base"}, the chain's head is ${heads.join(", ")}.`, {
    hint: "Run `sluice upgrade` first, or pass --from-chain to compare the model with the chain instead of the database.",
  });
}

async function scratchFor(db: Db, serverUrl: string | undefined, devUrl: string | undefined): Promise<ScratchTarget> {
  if (devUrl) {
    const dev = parseDatabaseUrl(devUrl, process.cwd());
    if (!dev || dev.kind !== "pg") {
      throw new SluiceError("usage", "--dev-url must be a postgres:// URL of an empty database.", { hint: "For an embedded database no dev database is needed." });
    }
    const { openPg } = await import("../db/pg.js");
    const probe = await openPg(dev.url);
    const mine = await probe.serverVersion().finally(() => probe.close());
    const theirs = await db.serverVersion();
    if (mine !== theirs) {
      throw new SluiceError("usage", `The dev database runs PostgreSQL ${mine}, the target ${theirs}: catalogs differ between versions.`, {
        hint: "Give a --dev-url on the same PostgreSQL major version as the target.",
      });
    }
    return { kind: "dev", url: dev.url };
  }
  return serverUrl ? { kind: "server", url: serverUrl } : { kind: "pglite" };
}

async function extensionsOf(db: Db): Promise<{ name: string; schema: string }[]> {
  const r = await db.query<{ name: string; schema: string }>(
    "SELECT e.extname::text AS name, n.nspname::text AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1",
  );
  return r.rows;
}

async function replayChain(db: Db, project: Project): Promise<void> {
  const { replayChain: replay } = await import("../verify/replay.js");
  await replay(db, project.chain);
}

/** A database with nothing in it yet: `public` exists, every other schema is to be created. */
export function emptySchema(schemas: readonly string[]): Schema {
  return { schemas: schemas.filter((s) => s === "public"), extensions: [], enums: [], sequences: [], tables: [], views: [], roles: [] };
}

export interface AutogenerateOptions extends ModelComparisonOptions {
  message: string;
  /** `--rename products.sku=article_no` / `--rename products=articles`. */
  renames?: readonly string[];
  /** Asked about each rename candidate not decided by `renames` (interactive runs); when absent, candidates become drop + add with a REVIEW. */
  confirmRename?: (candidate: RenameCandidate) => Promise<boolean>;
  /**
   * Write the lock-safe form of changes to existing tables (default true, or the
   * config's `autogenerate.safe`): indexes built CONCURRENTLY, constraints added
   * NOT VALID and validated, NOT NULL through a validated CHECK — in a second,
   * non-transactional migration where needed. `false` writes the plain one-step form.
   */
  safe?: boolean;
}

export interface AutogenerateResult {
  /** The (first) file written, or null when the model and the database already agree. */
  readonly written: RevisionResult | null;
  /**
   * Every file written, in chain order: one, or two when the safe form needs a
   * non-transactional step after the first (a concurrent index build, a
   * VALIDATE CONSTRAINT, SET NOT NULL through a validated check).
   */
  readonly files: readonly RevisionResult[];
  /** One line per change, in upgrade order; `review` marks those with a REVIEW comment. */
  readonly changes: readonly { readonly summary: string; readonly review: boolean }[];
  readonly renames: readonly Rename[];
  /** Rename candidates written as drop + add. */
  readonly candidates: readonly RenameCandidate[];
  readonly model: string;
  readonly currentSource: string;
  /** What the model declares that Sluice does not manage: named, never written, never dropped (`policy p on public.t`). */
  readonly notManaged: readonly string[];
  /** The drizzle-kit version that compiled a Drizzle model (absent for schema.sql). */
  readonly drizzleKit?: string;
}

/**
 * `sluice revision --autogenerate`: compares the model with the database (at
 * head) or the chain, and writes the next migration with both directions.
 *
 * @example
 * const r = await autogenerate({ cwd: "./app", message: "add sku to products", renames: ["products.code=sku"] });
 * console.log(r.written?.file, r.changes.map((c) => c.summary));
 */
export async function autogenerate(opts: AutogenerateOptions): Promise<AutogenerateResult> {
  const message = migrationMessage(opts.message, 'sluice revision --autogenerate -m "add xyz column"');
  const cmp = await compareWithModel(opts, { atHead: !opts.fromChain });
  const { project, current, desired } = cmp;
  if (project.chain.heads.length > 1) throw new MultipleHeads([...project.chain.heads], "a new revision");
  const renames = parseRenames(opts.renames ?? [], current);
  if (opts.confirmRename) {
    for (const c of findRenameCandidates(current, desired)) {
      const r = candidateRename(c, current);
      const decided = renames.some((x) => x.schema === r.schema && x.table === r.table && x.column === r.column);
      if (!decided && (await opts.confirmRename(c))) renames.push(r);
    }
  }
  const diff = diffSchemas(current, desired, { renames });
  const summary = (changes: readonly Change[]) => changes.map((c) => ({ summary: c.summary, review: !!c.review?.length }));
  const base = { renames: diff.renames, candidates: diff.candidates, model: cmp.model.file, currentSource: cmp.currentSource, notManaged: cmp.model.notManaged, drizzleKit: cmp.model.drizzleKit };
  if (!diff.changes.length) return { written: null, files: [], changes: [], ...base };
  const safe = opts.safe ?? project.config.config.autogenerate?.safe ?? true;
  const plan = safe ? planSafe(diff.changes, current) : { transactional: diff.changes, concurrent: [] };
  const header = `    ${commentLine("//", `Generated by sluice revision --autogenerate from ${cmp.model.file}. Read it, edit it, then apply it.`)}\n`;
  const files: RevisionResult[] = [];
  const first = project.chain.next;
  const heads = project.chain.heads.length ? [project.chain.heads[0]] : [];
  if (plan.transactional.length) {
    const { upgrade, downgrade } = renderChanges(plan.transactional);
    files.push(writeMigration(project.config.migrationsDir, project.config.root, first, heads, message, "ts", { upgrade: header + upgrade, downgrade }));
  }
  if (plan.concurrent.length) {
    const rev = files.length ? String(Number(first) + 1).padStart(first.length, "0") : first;
    const note = `    ${commentLine("//", "Outside a transaction: each statement commits by itself, so a concurrent build or a validation never holds a lock that blocks writes. A statement that fails leaves the ones before it applied; running it again is safe.")}\n`;
    const { upgrade, downgrade } = renderChanges(plan.concurrent);
    files.push(
      writeMigration(project.config.migrationsDir, project.config.root, rev, files.length ? [files[0].revision] : heads, `${message} (concurrently)`, "ts", {
        upgrade: header + note + upgrade,
        downgrade,
        transactional: false,
      }),
    );
  }
  return { written: files[0], files, changes: summary([...plan.transactional, ...plan.concurrent]), ...base };
}
