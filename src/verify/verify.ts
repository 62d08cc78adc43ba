import type { ResolvedConfig } from "../config/config.js";
import type { Chain } from "../chain/graph.js";
import type { Migration } from "../chain/files.js";
import { compileMigration, runMigration, type CompiledMigration } from "../runner/runner.js";
import { replayMigrations } from "./replay.js";
import { watchSchema, compareFollowed, type SchemaWatch } from "./snapshot.js";
import { createVersionTableSql } from "../runner/version-table.js";
import { introspect } from "../schema/introspect.js";
import { compareSchemas, qualified } from "../schema/compare.js";
import type { Db } from "../db/types.js";
import type { Schema, SchemaDifference } from "../schema/types.js";
import { SluiceError } from "../errors.js";
import { extensionsCreatedBy, openShadow, shadowServer, type Shadow, type ShadowOptions } from "./shadow.js";
import type { DatabaseTarget } from "../db/url.js";
import { heldLocks, documentedLocks, tableFiles, describeLock, type ObservedLock } from "./locks.js";
import { insertSampleRows } from "./data.js";
import { attentionItems, type AttentionItem } from "../report/attention.js";
import { inferredBackfills, measureBackfills, type BackfillResult } from "./backfill.js";

/** What a proof reads of a project: its config and its revision chain (the commands' `Project` is one). */
interface Project {
  readonly config: ResolvedConfig;
  readonly chain: Chain;
}

/** What the round trip proved about one revision. */
export interface RevisionProof {
  revision: string;
  message: string;
  file: string;
  ok: boolean;
  /** Set when the round trip was not attempted (an irreversible migration), with the reason. */
  skipped: string | null;
  /** Differences between the schema before the upgrade and after upgrade + downgrade. */
  downgradeDifferences: string[];
  /** Differences between the schema after the upgrade and after downgrade + upgrade again. */
  reupgradeDifferences: string[];
  /**
   * Differences a migration cannot avoid and that do not fail the round trip:
   * a column dropped and added back returns at the end of its table.
   */
  notes: string[];
  /** How the upgrade changed the schema (S0 → S1). */
  changes: string[];
  /** Foreign key and unique changes a reviewer should look at. */
  attention: AttentionItem[];
  /** Locks the upgrade took on existing tables. */
  locks: ObservedLock[];
  /** One line per lock: "upgrade 060 takes ACCESS EXCLUSIVE on products (rewrite: no)". */
  lockSummary: string[];
  backfills: BackfillResult[];
  /** The step that failed, when one did. */
  error: { step: "upgrade" | "downgrade" | "upgrade again"; message: string } | null;
  ms: number;
}

export interface DriftResult {
  checked: boolean;
  ok: boolean;
  differences: string[];
  /** Why drift was not checked, when it was not. */
  reason?: string;
}

export interface VerifyResult {
  ok: boolean;
  /** `notes`: what a reader of the proof should know about where it ran (another major version than the target's, a fallback). */
  shadow: { kind: "pglite" | "pg"; version: number; description: string; notes: string[] };
  revisions: RevisionProof[];
  /** Whether sample rows were inserted before each upgrade (--data). */
  data: boolean;
  /** Tables --data could not fill, and why. */
  sampleDataSkipped: { table: string; reason: string }[];
  drift: DriftResult;
  ms: number;
}

export interface ProveOptions extends ShadowOptions {
  data?: boolean;
  log?: (line: string) => void;
}

/**
 * Proves revisions on a shadow database: replays the chain once, and for each
 * chosen revision snapshots (S0), upgrades (S1), downgrades (must equal S0),
 * upgrades again (must equal S1), recording the locks the upgrade took.
 */
export async function proveRevisions(project: Project, revisions: readonly string[], opts: ProveOptions = {}): Promise<VerifyResult> {
  const started = performance.now();
  const { chain } = project;
  const chosen = new Set(revisions);
  const order = chain.migrations;
  const last = Math.max(-1, ...order.map((m, i) => (chosen.has(m.revision) ? i : -1)));
  const schemas = (project.config.config.schemas as string[] | undefined) ?? ["public"];
  // The config's devUrl is a server of the target's version: the shadow goes there unless told otherwise.
  const shadowUrl = opts.shadowUrl ?? (project.config.config.devUrl as string | undefined);
  const target = project.config.database;
  const extensions = shadowServer(target, shadowUrl) ? [] : await extensionsCreatedBy(order.slice(0, last + 1));
  const shadow = await openShadow(target, { ...opts, shadowUrl, extensions, needs: "The chain" });
  const shadowNotes = shadow.note ? [shadow.note] : [];
  const proofs: RevisionProof[] = [];
  const skippedTables = new Map<string, string>();
  let drift: DriftResult = { checked: false, ok: true, differences: [], reason: "the verified revisions do not reach the head" };
  try {
    const db = shadow.db;
    await db.exec(createVersionTableSql());
    let broken = false;
    const replayed = order.slice(0, last + 1).filter((m) => !chosen.has(m.revision));
    if (replayed.length) opts.log?.(`replaying ${replayed.length} revision(s) (${replayed[0].revision}–${replayed[replayed.length - 1].revision}) that are not being proved …`);
    // The shadow's schema when it is known: a proof ends on the schema the next one starts from.
    let current: Schema | null = null;
    let pending: Migration[] = [];
    for (let i = 0; i <= last; i++) {
      const m = order[i];
      if (!chosen.has(m.revision)) {
        pending.push(m);
        continue;
      }
      if (pending.length) {
        await replayMigrations(db, pending);
        pending = [];
        current = null;
      }
      opts.log?.(`proving ${m.revision} (${m.message}) …`);
      current ??= await introspect(db, { schemas });
      if (opts.data) {
        const r = await insertSampleRows(db, current);
        for (const s of r.skipped) skippedTables.set(s.table, s.reason);
      }
      const { proof, after } = await prove(db, m, schemas, current);
      proofs.push(proof);
      current = after;
      if (proof.error) {
        broken = true;
        break;
      }
    }
    if (current && !broken) await confirmFollowed(db, schemas, current);
    if (broken) {
      drift = { checked: false, ok: true, differences: [], reason: "a revision failed on the shadow" };
    } else if (last === order.length - 1 && chain.heads.length === 1) {
      drift = await headDrift(project, shadow, schemas, current, opts.log);
    }
  } finally {
    await shadow.close();
  }
  const versionNote = await otherVersionNote(target, shadow);
  if (versionNote) shadowNotes.push(versionNote);
  return {
    ok: proofs.every((p) => p.ok) && drift.ok,
    shadow: { kind: shadow.kind, version: shadow.version, description: shadow.description, notes: shadowNotes },
    revisions: proofs,
    data: !!opts.data,
    sampleDataSkipped: [...skippedTables.entries()].map(([table, reason]) => ({ table, reason })),
    drift,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * A PGlite shadow proving for a server says when the server runs another major
 * version: what passes on one may not on the other. An unreachable target says nothing.
 */
async function otherVersionNote(target: DatabaseTarget, shadow: Shadow): Promise<string | null> {
  if (shadow.kind !== "pglite" || target.kind !== "pg") return null;
  let theirs: number;
  try {
    const { openPg } = await import("../db/pg.js");
    const db = await openPg(target.url);
    theirs = await db.serverVersion().finally(() => db.close());
  } catch {
    return null;
  }
  if (theirs === shadow.version) return null;
  return `proved on embedded PostgreSQL ${shadow.version}; the target runs PostgreSQL ${theirs} (--shadow-url target proves on its own server)`;
}

/**
 * The proofs follow the schema by re-reading what each migration may have
 * changed (see watchSchema); one whole read at the end confirms they missed nothing.
 */
async function confirmFollowed(db: Db, schemas: string[], followed: Schema): Promise<void> {
  const missed = compareSchemas(followed, await introspect(db, { schemas }));
  if (missed.length) {
    throw new SluiceError("verify-internal", `verify lost track of the shadow's schema: ${missed.map((d) => d.text).join("; ")}`, {
      hint: "This is a bug in Sluice: please report it with the migrations that were verified.",
    });
  }
}

/** Compares the head on the shadow with the model, compiled on the same PostgreSQL version. */
async function headDrift(project: Project, shadow: Shadow, schemas: string[], current: Schema | null, log?: (line: string) => void): Promise<DriftResult> {
  if (!project.config.config.schema) {
    return { checked: false, ok: true, differences: [], reason: "no model configured: set `schema` in sluice.config.ts" };
  }
  const { loadModel, compileModel, roleNames, withoutLeftAlone } = await import("../model/index.js");
  const { replayChain } = await import("./replay.js");
  const { modelDrift } = await import("../autogen/drift.js");
  const model = await loadModel(project.config);
  const actualAll = current ?? (await introspect(shadow.db, { schemas }));
  const scratch = shadow.kind === "pglite" ? ({ kind: "pglite" } as const) : ({ kind: "server", url: shadow.serverUrl! } as const);
  const compiled = await compileModel(model, scratch, {
    extensions: actualAll.extensions,
    schemas: project.config.config.schemas as string[] | undefined,
    prepare: (db) => replayChain(db, project.chain),
    log,
  });
  try {
    const actual = withoutLeftAlone(await introspect(shadow.db, { schemas: compiled.schemas, roles: roleNames(model) }), model);
    const differences = modelDrift(actual, compiled.schema).map((d) => d.text);
    return { checked: true, ok: differences.length === 0, differences };
  } finally {
    await compiled.disposed;
  }
}

/**
 * The round trip of one revision, from `s0`, the shadow's schema before it.
 * Returns the proof and the shadow's schema after it, when that was read.
 */
async function prove(db: Db, m: Migration, schemas: string[], s0: Schema): Promise<{ proof: RevisionProof; after: Schema | null }> {
  const started = performance.now();
  const proof: RevisionProof = {
    revision: m.revision, message: m.message, file: m.file, ok: false, skipped: null,
    downgradeDifferences: [], reupgradeDifferences: [], notes: [], changes: [], attention: [], locks: [], lockSummary: [], backfills: [], error: null, ms: 0,
  };
  const done = (after: Schema | null) => {
    proof.ok = !proof.error && !proof.downgradeDifferences.length && !proof.reupgradeDifferences.length;
    proof.lockSummary = proof.locks.map((l) => describeLock(m.revision, l));
    proof.ms = Math.round(performance.now() - started);
    return { proof, after };
  };
  const up = await compileMigration(m, "upgrade");
  const inferred = await inferredBackfills(up.ops);
  const files = await tableFiles(db);
  const watch = await watchSchema(db, schemas);
  if (!(await step(proof, "upgrade", () => upgradeObserving(db, up, files, inferred, proof, watch)))) return done(null);
  const s1 = await watch.schemaAfter(db, s0);
  const changes = compareFollowed(s0, s1);
  proof.changes = changes.map((d) => d.text);
  proof.attention = attentionItems(changes);
  if (m.irreversible) {
    proof.skipped = `declared irreversible: ${m.irreversible}`;
    return done(s1);
  }
  const down = await compileMigration(m, "downgrade");
  const downgraded = await runWatched(db, down, schemas, proof, "downgrade", s1);
  if (!downgraded) return done(null);
  proof.downgradeDifferences = roundTripDifferences(s0, downgraded, proof.notes, s1);
  const again = await runWatched(db, up, schemas, proof, "upgrade again", downgraded);
  if (!again) return done(null);
  proof.reupgradeDifferences = roundTripDifferences(s1, again, proof.notes);
  return done(again);
}

/** Runs one step of the round trip; the schema after it, or null when it failed. */
async function runWatched(db: Db, c: CompiledMigration, schemas: string[], proof: RevisionProof, name: "downgrade" | "upgrade again", before: Schema): Promise<Schema | null> {
  const watch = await watchSchema(db, schemas);
  if (!(await step(proof, name, () => runMigration(db, c, { beforeCommit: (tx) => watch.observe(tx) })))) return null;
  return watch.schemaAfter(db, before);
}

/**
 * compareSchemas, less what PostgreSQL cannot undo, which is noted instead:
 * the column order (re-added columns come back last) and, after a downgrade,
 * enum values the upgrade added (an enum value cannot be dropped).
 */
function roundTripDifferences(expected: Schema, actual: Schema, notes: string[], upgraded?: Schema): string[] {
  const out: string[] = [];
  for (const d of compareFollowed(expected, actual)) {
    const kept = upgraded ? keptEnumValues(d, upgraded) : [];
    if (d.property === "column order") notes.push(`${d.text} (a re-added column comes back last; not a failure)`);
    else if (kept.length) notes.push(`${d.path.join(" › ")} keeps ${kept.join(", ")} after the downgrade: the upgrade added ${kept.length > 1 ? "them" : "it"}, and PostgreSQL cannot drop an enum value (not a failure)`);
    else out.push(d.text);
  }
  return out;
}

/** The values a downgraded enum has beyond its original ones, when they are exactly values the upgrade added. */
function keptEnumValues(d: SchemaDifference, upgraded: Schema): string[] {
  if (d.kind !== "changed" || d.property !== "values" || d.path.length !== 1 || !d.path[0].startsWith("enum ")) return [];
  const before = d.from as string[];
  const after = d.to as string[];
  const added = upgraded.enums.find((e) => `enum ${qualified(e)}` === d.path[0])?.values.filter((v) => !before.includes(v)) ?? [];
  const kept = after.filter((v) => !before.includes(v));
  const rest = after.filter((v) => before.includes(v));
  const unchanged = rest.length === before.length && rest.every((v, i) => v === before[i]);
  return unchanged && kept.length > 0 && kept.every((v) => added.includes(v)) ? kept : [];
}

async function upgradeObserving(db: Db, up: CompiledMigration, files: Awaited<ReturnType<typeof tableFiles>>, inferred: Awaited<ReturnType<typeof inferredBackfills>>, proof: RevisionProof, watch: SchemaWatch) {
  await runMigration(db, up, {
    beforeCommit: async (tx) => {
      await watch.observe(tx);
      proof.locks = up.migration.transactional ? await heldLocks(tx, files) : await documentedLocks(up, files);
      proof.backfills = await measureBackfills(tx, up.migration.verify, inferred);
    },
  });
}

async function step(proof: RevisionProof, name: "upgrade" | "downgrade" | "upgrade again", fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (!(err instanceof SluiceError) && !(err as { code?: string })?.code) throw err;
    proof.error = { step: name, message: (err as Error).message };
    return false;
  }
}
