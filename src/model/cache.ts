import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { bySchemaName } from "../schema/introspect.js";
import { writeCacheFile } from "../modules/cache-file.js";
import type { Schema, Sequence, Table } from "../schema/types.js";
import type { ModelParts, ModelTable } from "./drizzle.js";

/**
 * The compiled model kept table by table between runs: a table whose DDL, and
 * that of the tables it references, is unchanged since a run on the same
 * PostgreSQL version is taken from the cache; only the others are created on
 * the scratch database. After a one-column edit of a 2,000-table model that is
 * a handful of tables instead of 2,000 (creating them all on a server took
 * most of the 18 s a run took).
 */
const FORMAT = 2;

interface Entry {
  readonly table: Table;
  /** Sequences owned by the table's columns (serial). */
  readonly sequences: readonly Sequence[];
}

interface CacheFile {
  readonly format: number;
  readonly entries: Record<string, Entry>;
}

export interface CompilePlan {
  /** What to apply on the scratch database. */
  readonly statements: readonly string[];
  /** Whether some tables come from the cache (so the plan may be retried whole if it fails). */
  readonly partial: boolean;
  /** Builds the desired schema from the scratch database's and the cached tables, and updates the cache. */
  finish(fresh: Schema): Schema;
}

/**
 * Plans a compile of `parts`: `salt` names everything else the result depends
 * on (Sluice, Drizzle Kit and server versions, extensions, schemas read).
 */
export async function planCompile(parts: ModelParts, cacheFile: string, salt: string): Promise<CompilePlan> {
  const cache = readCache(cacheFile);
  const byKey = new Map(parts.tables.map((t) => [t.key, t]));
  // An enum counts only for the tables typed with it, so a new enum value recompiles those tables, not every table.
  const preamble = sha([salt, parts.preamble]);
  const hashes = new Map<string, string>();
  for (const t of parts.tables) {
    const referenced = t.references.map((r) => byKey.get(r)).filter((r): r is ModelTable => r !== undefined);
    hashes.set(t.key, sha([preamble, ...t.enums.map((e) => parts.enums.get(e) ?? e), t.snapshot, ...referenced.flatMap((r) => [r.key, r.snapshot])]));
  }
  const missing = parts.tables.filter((t) => !cache.entries[hashes.get(t.key)!]);
  const missingKeys = new Set(missing.map((t) => t.key));
  // A changed table's foreign keys need the tables they reference, and views the tables they read: created too
  // (without their own foreign keys), read, and left out.
  const stubs = [...new Set([...missing.flatMap((t) => t.references), ...parts.viewTables])].filter((k) => !missingKeys.has(k) && byKey.has(k));
  const statements = await parts.statements(
    missing.map((t) => t.key),
    stubs,
  );

  return {
    statements,
    partial: missing.length < parts.tables.length,
    finish(fresh) {
      const tables: Table[] = [];
      const sequences: Sequence[] = fresh.sequences.filter((s) => !s.ownedBy || !byKey.has(`${s.ownedBy.schema}.${s.ownedBy.table}`));
      const entries: Record<string, Entry> = {};
      const freshTables = new Map(fresh.tables.map((t) => [`${t.schema}.${t.name}`, t]));
      for (const t of parts.tables) {
        const hash = hashes.get(t.key)!;
        let entry = cache.entries[hash];
        if (missingKeys.has(t.key)) {
          const table = freshTables.get(t.key);
          // A table the scratch does not show where Sluice looks (another schema than those read): nothing to keep.
          if (!table) continue;
          const owned = fresh.sequences.filter((s) => s.ownedBy && s.ownedBy.schema === table.schema && s.ownedBy.table === table.name);
          entry = { table, sequences: owned };
        }
        entries[hash] = entry;
        tables.push(entry.table);
        sequences.push(...entry.sequences);
      }
      writeCache(cacheFile, { format: FORMAT, entries });
      return { ...fresh, tables: tables.sort(bySchemaName), sequences: sequences.sort(bySchemaName) };
    },
  };
}

function sha(parts: readonly string[]): string {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest("hex");
}

function readCache(file: string): CacheFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
    if (parsed.format === FORMAT && parsed.entries && typeof parsed.entries === "object") return parsed;
  } catch {
    // No cache yet, or one that cannot be read: compile everything.
  }
  return { format: FORMAT, entries: {} };
}

function writeCache(file: string, cache: CacheFile): void {
  writeCacheFile(file, JSON.stringify(cache));
}
