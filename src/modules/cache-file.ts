import fs from "node:fs";
import path from "node:path";

/**
 * Writes one of Sluice's cache files aside and renames it into place, so a
 * concurrent run reads the old file or the new one, never half of one. A cache
 * only saves time: a file that cannot be written (a read-only project) is
 * skipped silently.
 */
export function writeCacheFile(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    // The next run pays the time instead.
  }
}

const madeDirs = new Set<string>();

/**
 * `writeCacheFile` in the background: for the many small files of one run
 * (compiled migrations), written while the command goes on. Node waits for
 * the writes before it exits. A write that fails is skipped.
 */
export function writeCacheFileSoon(file: string, text: string): void {
  const dir = path.dirname(file);
  if (!madeDirs.has(dir)) {
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch {
      return;
    }
    madeDirs.add(dir);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFile(tmp, text, (err) => {
    if (!err) fs.rename(tmp, file, () => {});
  });
}
