import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "RESULTS.md");

/**
 * Puts a section into bench/RESULTS.md: it replaces the section with the same
 * heading (its first line), up to the next `## `, or is appended.
 */
export function recordSection(section) {
  const heading = section.split("\n")[0];
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmark results\n";
  const start = text.indexOf(`${heading}\n`);
  let updated;
  if (start < 0) {
    updated = `${text.trimEnd()}\n\n${section.trimEnd()}\n`;
  } else {
    const next = text.indexOf("\n## ", start + heading.length);
    updated = `${text.slice(0, start)}${section.trimEnd()}\n${next < 0 ? "" : text.slice(next)}`;
  }
  fs.writeFileSync(file, updated);
  return file;
}

/** The npm command that reproduces this run, with its arguments. */
export function benchCommand(script, args) {
  const passed = args.filter((a) => a !== "--write");
  return `npm run ${script} -- --write${passed.length ? ` ${passed.join(" ")}` : ""}`;
}
