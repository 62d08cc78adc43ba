import fs from "node:fs";
import type { Migration } from "../chain/files.js";

const sources = new Map<string, string[]>();

/** The lines of a migration file (read once per process). */
export function sourceLines(absPath: string): string[] {
  let lines = sources.get(absPath);
  if (!lines) {
    try {
      lines = fs.readFileSync(absPath, "utf8").split(/\r?\n/);
    } catch {
      lines = [];
    }
    sources.set(absPath, lines);
  }
  return lines;
}

/**
 * The line where a migration declares `key` (`downRevision`, `downgrade`, …):
 * the `key:` property or `key(` method of a `.ts` file, the `-- sluice:key`
 * header of a `.sql` file. Line 1 when not found.
 */
export function declarationLine(m: Migration, key: string): number {
  const lines = sourceLines(m.absPath);
  const sqlKey = key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const i = lines.findIndex((l) =>
    m.format === "sql" ? new RegExp(`^\\s*--\\s*sluice:${sqlKey}\\b`).test(l) : new RegExp(`\\b${key}\\s*[:(]`).test(l),
  );
  return i < 0 ? 1 : i + 1;
}
