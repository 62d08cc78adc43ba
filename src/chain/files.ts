import crypto from "node:crypto";
import { isUtf8 } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import type { Op } from "../ops/types.js";
import { recordOps, OpArgumentError } from "../ops/builder.js";
import type { MigrationDefinition, MigrationVerify } from "../define/migration.js";
import { MigrationFileError } from "./errors.js";
import { loadUserModule, loadSelfContainedModule, defaultExport } from "../modules/load.js";
import { writeCacheFile } from "../modules/cache-file.js";
import { firstLine } from "../errors.js";
import { DURATION_FORMS, parseDuration } from "../duration.js";
import { controlCharacter } from "../text.js";
import { projectPath } from "../paths.js";

export const MIGRATION_FILE = /^(\d{3,})_([A-Za-z0-9][A-Za-z0-9_.-]*)\.(ts|mts|js|mjs|sql)$/;

/** What the chain knows of a migration file without running any of it. */
export interface MigrationMeta {
  readonly revision: string;
  /** Empty for a first migration, several for a merge. */
  readonly downRevisions: readonly string[];
  readonly message: string;
  readonly transactional: boolean;
  /** Its own statement_timeout in ms (0: none), over the config's. */
  readonly statementTimeoutMs?: number;
  readonly irreversible?: string;
  readonly verify?: MigrationVerify;
  /** Path relative to the project root, with forward slashes. */
  readonly file: string;
  readonly absPath: string;
  readonly format: "ts" | "sql";
  /** The number in the file name, as written ("003"). */
  readonly fileNumber: string;
  /** sha256 of the file's bytes, CRLF line endings read as LF. */
  readonly checksum: string;
}

/** One direction of a migration: its ops, and for `.sql` files where its text starts. */
export interface MigrationBody {
  readonly ops: Op[];
  /** The file line each op was written on (parallel to `ops`), where known. */
  readonly lines?: readonly (number | undefined)[];
  /** The line the direction starts on: its `-- sluice:` marker in a `.sql` file. */
  readonly line?: number;
}

export interface Migration extends MigrationMeta {
  /** Records the upgrade's ops (importing the module on first use). */
  upgrade(): Promise<MigrationBody>;
  downgrade(): Promise<MigrationBody>;
}

interface CacheFile {
  version: 2;
  entries: Record<string, { checksum: string; meta: Omit<MigrationMeta, "absPath" | "file"> }>;
}

export interface DiscoverOptions {
  /** The project root; `file` paths are relative to it. */
  root: string;
  /** Where to keep the metadata cache of `.ts` files; none when undefined. */
  cacheDir?: string;
  /** The largest migration file read, in bytes (config `maxMigrationFileMB`); default DEFAULT_MAX_MIGRATION_FILE_MB. */
  maxFileBytes?: number;
}

/**
 * PostgreSQL's parser (libpg_query, WASM) holds a file's whole parse tree in
 * its memory: 8 MB of SQL took up to 1.4 GB and 16 s here, and from about
 * 16 MB of short statements it runs out of memory and fails. Larger files are
 * refused up front with this limit instead.
 */
export const DEFAULT_MAX_MIGRATION_FILE_MB = 8;

/**
 * Reads every migration file of a folder. `.sql` headers are parsed directly;
 * a `.ts` file is imported only when its checksum is not in the cache, so
 * commands that need only the chain's shape load no migration code.
 */
export async function discoverMigrations(dir: string, opts: DiscoverOptions): Promise<Migration[]> {
  if (!fs.existsSync(dir)) {
    throw new MigrationFileError(projectPath(opts.root, dir), "the migrations folder does not exist.", "Run `sluice init`, or set `migrations` in sluice.config.ts to the right folder.");
  }
  const names = fs.readdirSync(dir).filter((n) => MIGRATION_FILE.test(n)).sort();
  const cachePath = opts.cacheDir ? path.join(opts.cacheDir, "migrations.json") : undefined;
  const cache = readCache(cachePath);
  let cacheChanged = false;
  const out: Migration[] = [];
  for (const name of names) {
    const absPath = path.join(dir, name);
    const file = projectPath(opts.root, absPath);
    const size = fs.statSync(absPath).size;
    const limit = opts.maxFileBytes ?? DEFAULT_MAX_MIGRATION_FILE_MB * 1024 * 1024;
    if (size > limit) throw tooLarge(file, size, limit);
    const source = fs.readFileSync(absPath);
    const text = strictText(source, file);
    // CRLF read as LF: the same file checked out on Windows is not "changed since it was applied".
    const checksum = crypto.createHash("sha256").update(text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : source).digest("hex");
    const [, fileNumber] = MIGRATION_FILE.exec(name)!;
    if (name.endsWith(".sql")) {
      const parsed = parseSqlMigration(text, file);
      const meta: MigrationMeta = checkedMeta({ ...parsed.meta, file, absPath, format: "sql", fileNumber, checksum });
      out.push({
        ...meta,
        upgrade: async () => sqlBody(parsed.upgrade, parsed.upgradeLine),
        downgrade: async () => sqlBody(parsed.downgrade, parsed.downgradeLine),
      });
      continue;
    }
    let meta: MigrationMeta;
    let definition: MigrationDefinition | undefined;
    const cached = cache.entries[file];
    if (cached && cached.checksum === checksum) {
      meta = checkedMeta({ ...cached.meta, file, absPath });
    } else {
      definition = await importMigration(absPath, file, text, opts.cacheDir, checksum);
      meta = checkedMeta(tsMeta(definition, { file, absPath, fileNumber, checksum }));
      const { file: _f, absPath: _a, ...rest } = meta;
      cache.entries[file] = { checksum, meta: rest };
      cacheChanged = true;
    }
    const load = async () => (definition ??= await importMigration(absPath, file, text, opts.cacheDir, checksum));
    // Recorded once per process: the runner, the checks and the report all read the same ops.
    let up: Promise<MigrationBody> | undefined;
    let down: Promise<MigrationBody> | undefined;
    out.push({
      ...meta,
      upgrade: () => (up ??= load().then((d) => recordDirection(d, "upgrade", file, absPath))),
      downgrade: () => (down ??= load().then((d) => recordDirection(d, "downgrade", file, absPath))),
    });
  }
  for (const key of Object.keys(cache.entries)) {
    if (!out.some((m) => m.file === key)) {
      delete cache.entries[key];
      cacheChanged = true;
    }
  }
  if (cacheChanged && cachePath) writeCache(cachePath, cache);
  return out;
}

function readCache(cachePath: string | undefined): CacheFile {
  if (cachePath && fs.existsSync(cachePath)) {
    try {
      const data = JSON.parse(fs.readFileSync(cachePath, "utf8")) as CacheFile;
      if (data.version === 2 && data.entries) return data;
    } catch {
      // A damaged cache is rebuilt.
    }
  }
  return { version: 2, entries: {} };
}

function writeCache(cachePath: string, cache: CacheFile): void {
  writeCacheFile(cachePath, JSON.stringify(cache));
}

/**
 * A migration file's bytes as text, refused when they hold what PostgreSQL or
 * the TypeScript compiler would read differently from the person who wrote
 * it: a NUL byte (PostgreSQL ends the statement text there, dropping the
 * rest) or bytes that are not UTF-8.
 */
export function strictText(bytes: Uint8Array, file: string): string {
  // Uint8Array in the signature: the published types must not need @types/node.
  const source = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nul = source.indexOf(0);
  const text = source.toString("utf8");
  const invalid = isUtf8(source) ? -1 : firstInvalidUtf8(source, text);
  const at = nul >= 0 && (invalid < 0 || nul < invalid) ? nul : invalid;
  if (at < 0) return text;
  const line = lineAt(source, at);
  const what = at === nul ? "a NUL byte" : "bytes that are not UTF-8";
  const why = at === nul ? "PostgreSQL would ignore everything after it" : "Sluice reads migrations as UTF-8";
  throw new MigrationFileError(file, `has ${what} at byte offset ${at} (line ${line}); ${why}.`, "Remove it, or save the file as UTF-8 text (it may have been written by a tool as UTF-16 or binary).", line);
}

/** The byte offset of the first invalid sequence: where a U+FFFD of the decoded text stands for bytes other than EF BF BD. */
function firstInvalidUtf8(source: Buffer, decoded: string): number {
  for (let i = decoded.indexOf("\ufffd"); i >= 0; i = decoded.indexOf("\ufffd", i + 1)) {
    // Up to the first invalid sequence, characters and bytes line up.
    const byte = Buffer.byteLength(decoded.slice(0, i));
    if (!(source[byte] === 0xef && source[byte + 1] === 0xbf && source[byte + 2] === 0xbd)) return byte;
  }
  return 0;
}

function lineAt(source: Buffer, offset: number): number {
  let line = 1;
  for (let i = source.indexOf(10); i >= 0 && i < offset; i = source.indexOf(10, i + 1)) line++;
  return line;
}

function tooLarge(file: string, size: number, limit: number): MigrationFileError {
  const mb = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`);
  return new MigrationFileError(
    file,
    `is ${mb(size)}; Sluice reads migration files up to ${mb(limit)}, since PostgreSQL's parser holds a whole file's parse tree in memory.`,
    "Split it into several migrations, or load bulk data with COPY from a file outside the chain; if the machine has the memory, raise `maxMigrationFileMB` in sluice.config.ts.",
  );
}

/**
 * Refuses a revision id or message that holds a line break or another
 * control character: written into a `--sql` script's comments or a file's
 * header, it would turn the rest of the line into SQL.
 */
function checkedMeta(meta: MigrationMeta): MigrationMeta {
  const fields: [string, string][] = [["revision", meta.revision], ...meta.downRevisions.map((d): [string, string] => ["downRevision", d]), ["message", meta.message]];
  for (const [field, value] of fields) {
    const bad = controlCharacter(value);
    if (bad) {
      throw new MigrationFileError(meta.file, `its ${field} ${JSON.stringify(value)} contains ${bad.name}; a ${field} is one line of text.`, `Write the ${field} on one line, without control characters.`);
    }
  }
  return meta;
}

async function importMigration(absPath: string, file: string, text: string, cacheDir: string | undefined, checksum: string): Promise<MigrationDefinition> {
  let mod: Record<string, unknown>;
  try {
    mod = cacheDir ? await loadSelfContainedModule(absPath, text, cacheDir, checksum) : await loadUserModule(absPath);
  } catch (err) {
    const line = errorLine(err, absPath);
    throw new MigrationFileError(file, `does not compile or import: ${firstLine(err)}`, "Fix the error in the file, then run the command again.", line);
  }
  const value = defaultExport(mod) as Partial<MigrationDefinition> | undefined;
  if (!value || typeof value !== "object") {
    throw new MigrationFileError(file, "has no default export.", "A migration file must `export default defineMigration({ revision, downRevision, message, upgrade(op) {…}, downgrade(op) {…} })`.");
  }
  return value as MigrationDefinition;
}

/** The line of `absPath` an import error points at, when the error says. */
function errorLine(err: unknown, absPath: string): number | undefined {
  const e = err as { loc?: { line?: number }; stack?: string; message?: string };
  if (e?.loc?.line) return e.loc.line;
  const text = `${e?.message ?? ""}\n${e?.stack ?? ""}`;
  const base = path.basename(absPath).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${base}:(\\d+)`).exec(text) ?? /\((\d+):\d+\)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

function tsMeta(def: MigrationDefinition, where: { file: string; absPath: string; fileNumber: string; checksum: string }): MigrationMeta {
  const { file } = where;
  const hint = "A migration file must `export default defineMigration({ revision: \"003\", downRevision: \"002\", message, upgrade(op) {…}, downgrade(op) {…} })`.";
  if (typeof def.revision !== "string" || !def.revision) {
    const got = def.revision === undefined ? "no revision" : `revision ${JSON.stringify(def.revision)}`;
    throw new MigrationFileError(file, `has ${got}; the revision must be a string such as "${where.fileNumber}".`, hint);
  }
  const down = def.downRevision;
  if (down === undefined) throw new MigrationFileError(file, "has no downRevision (use null for the first migration).", hint);
  const downs = down === null ? [] : Array.isArray(down) ? down : [down];
  if (!downs.every((d) => typeof d === "string" && d)) {
    throw new MigrationFileError(file, `has downRevision ${JSON.stringify(down)}; it must be a string such as "002", a list of them, or null.`, hint);
  }
  if (typeof def.upgrade !== "function") throw new MigrationFileError(file, "has no upgrade(op) function.", hint);
  if (typeof def.downgrade !== "function") throw new MigrationFileError(file, "has no downgrade(op) function.", hint);
  if (def.transactional !== undefined && typeof def.transactional !== "boolean") {
    throw new MigrationFileError(file, "has a `transactional` that is not true or false.", hint);
  }
  const statementTimeoutMs = def.statementTimeout === undefined ? undefined : parseDuration(def.statementTimeout);
  if (def.statementTimeout !== undefined && statementTimeoutMs === undefined) {
    throw new MigrationFileError(file, `has statementTimeout ${JSON.stringify(def.statementTimeout)}; it must be ${DURATION_FORMS} (0 for none).`, hint);
  }
  return {
    revision: def.revision,
    downRevisions: downs as string[],
    message: typeof def.message === "string" ? def.message : "",
    transactional: def.transactional ?? true,
    ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
    ...(def.irreversible ? { irreversible: String(def.irreversible) } : {}),
    ...(def.verify ? { verify: def.verify } : {}),
    file,
    absPath: where.absPath,
    format: "ts",
    fileNumber: where.fileNumber,
    checksum: where.checksum,
  };
}

async function recordDirection(def: MigrationDefinition, direction: "upgrade" | "downgrade", file: string, absPath: string): Promise<MigrationBody> {
  const { op, ops, lines } = recordOps(absPath);
  try {
    await def[direction](op);
  } catch (err) {
    if (err instanceof OpArgumentError) {
      throw new MigrationFileError(file, err.message, "Fix the call in the file; the README's `op` vocabulary lists each op's arguments.", err.line);
    }
    throw new MigrationFileError(file, `${direction}() threw: ${firstLine(err)}`, `Fix ${direction}() in the file.`);
  }
  return { ops, lines };
}

function sqlBody(sql: string, line: number): MigrationBody {
  return { ops: sql.trim() ? [{ kind: "execute", sql, line }] : [], lines: sql.trim() ? [line] : [], line: line - 1 };
}

export interface ParsedSqlMigration {
  meta: Omit<MigrationMeta, "file" | "absPath" | "format" | "fileNumber" | "checksum">;
  upgrade: string;
  upgradeLine: number;
  downgrade: string;
  downgradeLine: number;
}

const SQL_LAYOUT = `A .sql migration starts with:
-- sluice:revision 002
-- sluice:down-revision 001      (none for the first migration)
-- sluice:message add books table
-- sluice:upgrade
…SQL…
-- sluice:downgrade
…SQL…`;

/** Parses the `-- sluice:` header and the upgrade/downgrade sections of a `.sql` migration. */
export function parseSqlMigration(text: string, file: string): ParsedSqlMigration {
  const lines = text.split(/\r?\n/);
  const header: Record<string, string> = {};
  const verifyNotNull: string[] = [];
  const verifySql: string[] = [];
  let upgradeAt = -1;
  let downgradeAt = -1;
  for (let i = 0; i < lines.length; i++) {
    // [\s\S]: a lone carriage return stays in the value (and is refused) instead of hiding the line.
    const m = /^--\s*sluice:([a-z-]+)\s*([\s\S]*)$/.exec(lines[i].trim());
    if (!m) continue;
    const [, key, value] = m;
    if (key === "upgrade") {
      if (upgradeAt >= 0) throw new MigrationFileError(file, "has two `-- sluice:upgrade` lines.", SQL_LAYOUT, i + 1);
      upgradeAt = i;
    } else if (key === "downgrade") {
      if (downgradeAt >= 0) throw new MigrationFileError(file, "has two `-- sluice:downgrade` lines.", SQL_LAYOUT, i + 1);
      downgradeAt = i;
    } else if (upgradeAt < 0) {
      if (key === "verify-not-null") verifyNotNull.push(value.trim());
      else if (key === "verify-empty") verifySql.push(value.trim());
      else header[key] = value.trim();
    }
  }
  if (header.revision === undefined || !header.revision) {
    throw new MigrationFileError(file, "has no `-- sluice:revision` header line.", SQL_LAYOUT, 1);
  }
  if (header["down-revision"] === undefined) {
    throw new MigrationFileError(file, "has no `-- sluice:down-revision` header line.", SQL_LAYOUT, 1);
  }
  if (upgradeAt < 0) throw new MigrationFileError(file, "has no `-- sluice:upgrade` line.", SQL_LAYOUT);
  if (downgradeAt < 0) throw new MigrationFileError(file, "has no `-- sluice:downgrade` line.", SQL_LAYOUT);
  if (downgradeAt < upgradeAt) throw new MigrationFileError(file, "has its `-- sluice:downgrade` section before `-- sluice:upgrade`.", SQL_LAYOUT, downgradeAt + 1);
  const transactional = header.transactional === undefined ? true : header.transactional.toLowerCase() !== "false";
  if (header.transactional !== undefined && !/^(true|false)$/i.test(header.transactional)) {
    throw new MigrationFileError(file, `has \`-- sluice:transactional ${header.transactional}\`; write true or false.`, SQL_LAYOUT);
  }
  const statementTimeoutMs = header["statement-timeout"] === undefined ? undefined : parseDuration(header["statement-timeout"]);
  if (header["statement-timeout"] !== undefined && statementTimeoutMs === undefined) {
    throw new MigrationFileError(file, `has \`-- sluice:statement-timeout ${header["statement-timeout"]}\`; write a duration such as 30s, 500ms or 2min (0 for none).`, SQL_LAYOUT);
  }
  const downRaw = header["down-revision"];
  const downRevisions = /^(none|null|)$/i.test(downRaw) ? [] : downRaw.split(/[\s,]+/).filter(Boolean);
  const verify: MigrationVerify | undefined =
    verifyNotNull.length || verifySql.length ? { ...(verifyNotNull.length ? { notNull: verifyNotNull } : {}), ...(verifySql.length ? { sql: verifySql } : {}) } : undefined;
  return {
    meta: {
      revision: header.revision,
      downRevisions,
      message: header.message ?? "",
      transactional,
      ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
      ...(header.irreversible ? { irreversible: header.irreversible } : {}),
      ...(verify ? { verify } : {}),
    },
    upgrade: lines.slice(upgradeAt + 1, downgradeAt).join("\n"),
    upgradeLine: upgradeAt + 2,
    downgrade: lines.slice(downgradeAt + 1).join("\n"),
    downgradeLine: downgradeAt + 2,
  };
}
