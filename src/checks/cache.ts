import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Migration } from "../chain/files.js";
import { writeCacheFile } from "../modules/cache-file.js";
import type { RuleSeverities } from "./config.js";
import type { Finding, SuppressedFinding } from "./types.js";

/** What the per-migration rules found in one migration. */
export interface MigrationFindings {
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

interface CacheData {
  version: 1;
  /** The code and settings the findings came from. */
  basis: string;
  /** Per migration file: the key of what was checked, and what was found. */
  entries: Record<string, { key: string } & MigrationFindings>;
}

/**
 * Findings of the per-migration rules, kept in `.sluice/cache/checks.json`
 * so that `sluice upgrade` does not check again what `sluice check` (or the
 * previous run) already checked. An entry is used only when the migration is
 * the same as checked: its file's checksum, its metadata and the ops both
 * directions recorded in this process (which a helper module or the
 * environment may change without the file changing); and the whole cache only
 * when Sluice's rule, parser and op code and the rule settings are the same.
 */
export class FindingsCache {
  private changed = false;

  private constructor(
    private readonly file: string,
    private readonly data: CacheData,
  ) {}

  static open(cacheDir: string, severities: RuleSeverities): FindingsCache {
    const file = path.join(cacheDir, "checks.json");
    const basis = cacheBasis(severities);
    let data: CacheData = { version: 1, basis, entries: {} };
    try {
      const read = JSON.parse(fs.readFileSync(file, "utf8")) as CacheData;
      if (read.version === 1 && read.basis === basis && read.entries) data = read;
    } catch {
      // No cache yet, or a damaged one: it is rebuilt.
    }
    return new FindingsCache(file, data);
  }

  /** The key of a migration as it is now: it records both directions' ops. */
  static async keyOf(m: Migration): Promise<string> {
    const [up, down] = await Promise.all([m.upgrade(), m.downgrade()]);
    const meta = [m.revision, m.downRevisions, m.message, m.transactional, m.irreversible ?? null, m.verify ?? null, m.format, m.checksum];
    return crypto.createHash("sha256").update(JSON.stringify([meta, up, down])).digest("base64url");
  }

  get(m: Migration, key: string): MigrationFindings | undefined {
    const e = this.data.entries[m.file];
    return e?.key === key ? { findings: e.findings, suppressed: e.suppressed } : undefined;
  }

  set(m: Migration, key: string, found: MigrationFindings): void {
    this.data.entries[m.file] = { key, findings: found.findings, suppressed: found.suppressed };
    this.changed = true;
  }

  /** Writes the cache when it changed, dropping entries of files that no longer exist. */
  save(files: ReadonlySet<string>): void {
    for (const f of Object.keys(this.data.entries)) {
      if (!files.has(f)) {
        delete this.data.entries[f];
        this.changed = true;
      }
    }
    if (this.changed) writeCacheFile(this.file, JSON.stringify(this.data));
  }
}

/** Folders of Sluice's code whose changes can change findings: the rules, the SQL parser wrapper and the op renderer. */
const CODE_DIRS = ["./", "./rules/", "../sql/", "../ops/"];

let codeStamp: string | undefined;

/**
 * The settings and code the findings depend on. The code is stamped by the
 * contents of its files (about 40 small files, read once per process), not by
 * their times: npm gives every installed file the same time. The parser's
 * version counts too.
 */
function cacheBasis(severities: RuleSeverities): string {
  if (codeStamp === undefined) {
    const h = crypto.createHash("sha256");
    for (const rel of CODE_DIRS) {
      const dir = fileURLToPath(new URL(rel, import.meta.url));
      for (const name of fs.readdirSync(dir).sort()) {
        if (!/\.[cm]?[jt]s$/.test(name)) continue;
        h.update(`${rel}${name}\0`).update(fs.readFileSync(path.join(dir, name)));
      }
    }
    // PostgreSQL's parser reads the SQL the rules see.
    try {
      h.update(`libpg-query@${(createRequire(import.meta.url)("libpg-query/package.json") as { version: string }).version}`);
    } catch {
      h.update(`libpg-query@unknown:${Date.now()}`);
    }
    codeStamp = h.digest("base64url");
  }
  const settings = [...severities].map(([rule, severity]) => `${rule.id}=${severity}`).join(",");
  return `${codeStamp}:${settings}`;
}
