import fs from "node:fs";
import path from "node:path";
import { openProject, withDatabase, databaseExists, type CommonOptions } from "./context.js";
import { migrationTemplate, slugify } from "./revision.js";
import { stamp } from "./migrate.js";
import { FOREIGN_TOOLS, type ForeignChain, type ForeignMigration } from "../adopt/index.js";
import { diffSchemas } from "../autogen/compare/index.js";
import { renderOp } from "../ops/definitions.js";
import { introspect } from "../schema/introspect.js";
import { SluiceError } from "../errors.js";
import { commentLine } from "../text.js";
import { projectPath } from "../paths.js";

export interface ImportOptions extends CommonOptions {
  /** `drizzle-kit` or `prisma`. */
  tool: string;
  /** The other tool's folder; default its usual one (`./drizzle`), relative to `cwd`. */
  source?: string;
  /** Say what would be written and recorded, and write nothing. */
  dryRun?: boolean;
}

export interface ImportedFile {
  readonly file: string;
  readonly revision: string;
  /** The tool's id: `0007_fine_hulk`. */
  readonly importedFrom: string;
  /** `tool`: the tool's own down migration; `computed`: the schema after the step turned back into the one before, marked REVIEW. */
  readonly downgrade: "tool" | "computed";
  /** Whether the database has applied it (by the tool's table). */
  readonly applied: boolean;
}

export interface ImportResult {
  readonly tool: string;
  readonly files: readonly ImportedFile[];
  /** The revision the version table is stamped at (the last one the tool applied), or null when none was applied. */
  readonly stampedAt: string | null;
  /** False for `dryRun` and when the chain was imported already. */
  readonly written: boolean;
  /** The chain already holds exactly this import: nothing was done. */
  readonly alreadyImported: boolean;
  readonly database: string;
}

const IMPORTED_FROM = /^--\s*sluice:imported-from\s+(\S+)\s+(\S+)\s*$/m;

/**
 * `sluice import <tool> [DIR]`: converts another tool's chain into Sluice
 * migration files and records in Sluice's version table the position the
 * tool's own table shows, so the next `upgrade` runs nothing already run.
 * The other tool's files and table are only read.
 *
 * @example
 * const r = await importChain({ cwd: "./app", tool: "drizzle-kit", source: "./drizzle" });
 * console.log(r.files.map((f) => `${f.file} ← ${f.importedFrom}`), r.stampedAt);
 */
export async function importChain(opts: ImportOptions): Promise<ImportResult> {
  const tool = FOREIGN_TOOLS[opts.tool];
  if (!tool) {
    throw new SluiceError("usage", `Sluice cannot import from "${opts.tool}".`, { hint: `Give one of: ${Object.keys(FOREIGN_TOOLS).join(", ")}.` });
  }
  const project = await openProject(opts);
  const { config, chain } = project;
  const source = path.resolve(opts.cwd ?? process.cwd(), opts.source ?? tool.defaultSource);
  const foreign = tool.read(source, config.root);
  if (!foreign.migrations.length) throw new SluiceError("import", `${path.relative(config.root, source) || "."} holds no ${tool.name} migrations.`, { hint: "Give the folder the tool writes its migrations to." });

  const appliedIds = databaseExists(project) ? await withDatabase(project, opts, (db) => tool.applied(db, foreign)) : [];
  const appliedCount = appliedPrefix(foreign, appliedIds);
  const revisions = foreign.migrations.map((_, i) => String(i + 1).padStart(3, "0"));
  const stampedAt = appliedCount ? revisions[appliedCount - 1] : null;
  const database = config.database.displayUrl;

  if (chain.migrations.length) {
    const imported = chain.migrations.map((m) => IMPORTED_FROM.exec(fs.readFileSync(m.absPath, "utf8")));
    const same =
      imported.length === foreign.migrations.length &&
      chain.migrations.every((m, i) => m.revision === revisions[i]) &&
      imported.every((x, i) => x && x[1] === tool.name && x[2] === foreign.migrations[i].id);
    if (!same) {
      throw new SluiceError("usage", `The chain is not empty: ${path.relative(config.root, config.migrationsDir) || "."} holds ${chain.migrations.length} migration(s) that are not this ${tool.name} import.`, {
        hint: "Import into a project whose migrations folder is empty.",
      });
    }
    const files = chain.migrations.map((m, i) => ({ file: m.file, revision: m.revision, importedFrom: foreign.migrations[i].id, downgrade: foreign.migrations[i].downgrade === undefined ? ("computed" as const) : ("tool" as const), applied: i < appliedCount }));
    return { tool: tool.name, files, stampedAt, written: false, alreadyImported: true, database };
  }

  const schemas = (config.config.schemas as string[] | undefined) ?? ["public"];
  const downgrades = await computeDowngrades(foreign, schemas);
  const dir = config.migrationsDir;
  const planned = foreign.migrations.map((m, i) => {
    const name = `${revisions[i]}_${slugify(m.message)}.sql`;
    const header = `${commentLine("--", `sluice:imported-from ${tool.name} ${m.id}`)}\n`;
    const text = migrationTemplate({ revision: revisions[i], downRevisions: i ? [revisions[i - 1]] : [], message: oneLine(m.message), format: "sql", upgrade: m.upgrade.replace(/\s+$/, ""), downgrade: downgrades[i] });
    return {
      path: path.join(dir, name),
      text: text.replace("-- sluice:upgrade\n", `${header}-- sluice:upgrade\n`),
      info: { file: projectPath(config.root, path.join(dir, name)), revision: revisions[i], importedFrom: m.id, downgrade: m.downgrade === undefined ? ("computed" as const) : ("tool" as const), applied: i < appliedCount },
    };
  });
  if (opts.dryRun) return { tool: tool.name, files: planned.map((p) => p.info), stampedAt, written: false, alreadyImported: false, database };

  fs.mkdirSync(dir, { recursive: true });
  for (const p of planned) fs.writeFileSync(p.path, p.text, { flag: "wx" });
  if (stampedAt) await stamp({ ...opts, revision: stampedAt });
  return { tool: tool.name, files: planned.map((p) => p.info), stampedAt, written: true, alreadyImported: false, database };
}

/** How many of the chain's first migrations were applied; the tool's table must show a prefix of its chain. */
function appliedPrefix(chain: ForeignChain, applied: readonly string[]): number {
  const set = new Set(applied);
  const n = chain.migrations.findIndex((m) => !set.has(m.id));
  const count = n < 0 ? chain.migrations.length : n;
  const later = chain.migrations.slice(count).find((m) => set.has(m.id));
  if (later) {
    throw new SluiceError("import", `${later.file} is recorded as applied but ${chain.migrations[count].file}, before it, is not: the database did not apply the chain in order.`, {
      hint: "Bring the database to a position of the chain with the tool itself (apply the missing migration), then import.",
    });
  }
  return count;
}

/** A message on one line: whitespace runs, newlines among them, made one space. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/**
 * The downgrade of each migration the tool gave none: on an in-memory
 * shadow the chain is replayed, and the schema after each step is turned
 * back into the schema before it, as autogenerate would write it.
 */
async function computeDowngrades(chain: ForeignChain, schemas: readonly string[]): Promise<string[]> {
  const { openPglite } = await import("../db/pglite.js");
  const shadow = await openPglite(null);
  try {
    const out: string[] = [];
    let before = await introspect(shadow, { schemas });
    for (const m of chain.migrations) {
      await replay(shadow, m);
      const after = await introspect(shadow, { schemas });
      if (m.downgrade !== undefined) out.push(m.downgrade.replace(/\s+$/, ""));
      else out.push(renderComputed(diffSchemas(after, before).changes, m));
      before = after;
    }
    return out;
  } finally {
    await shadow.close();
  }
}

async function replay(shadow: import("../db/types.js").Db, m: ForeignMigration): Promise<void> {
  try {
    await shadow.exec(m.upgrade);
  } catch (err) {
    throw new SluiceError("import", `${m.file}: does not apply on an empty shadow database after the migrations before it: ${(err as Error).message}`, {
      hint: "Fix the migration so the chain replays from empty, then import.",
    });
  }
}

function renderComputed(changes: ReturnType<typeof diffSchemas>["changes"], m: ForeignMigration): string {
  const lines = [commentLine("--", `REVIEW: computed by sluice import: ${m.id} had no down migration; this turns the schema after it back into the one before.`)];
  for (const c of changes) {
    for (const r of c.review ?? []) lines.push(commentLine("--", `REVIEW: ${r}`));
    lines.push(...renderOp(c.op).map((s) => `${s};`));
  }
  return lines.join("\n");
}
