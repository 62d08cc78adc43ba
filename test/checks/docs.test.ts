import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RULES } from "../../src/checks/registry.js";

const docs = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "checks");

describe("docs/checks", () => {
  it.each(RULES.map((r) => [r.id]))("%s has a page with a flagged and a passing example and the safe way", (id) => {
    const file = path.join(docs, `${id}.md`);
    expect(fs.existsSync(file), `docs/checks/${id}.md`).toBe(true);
    const text = fs.readFileSync(file, "utf8");
    expect(text.startsWith(`# ${id}\n`)).toBe(true);
    for (const heading of ["## Flagged", "## Passes", "## The safe way"]) expect(text, `${id}: ${heading}`).toContain(heading);
    expect(text).toMatch(/```(ts|sql)/);
  });

  it.each(RULES.map((r) => [r.id, r]))("%s names the peers' equivalent rules", (id, rule) => {
    const text = fs.readFileSync(path.join(docs, `${id}.md`), "utf8");
    for (const s of rule.squawk ?? []) expect(text, `${id}: squawk: ${s}`).toContain(`squawk: ${s}`);
    for (const s of rule.strongMigrations ?? []) expect(text, `${id}: strong_migrations: ${s}`).toContain(`strong_migrations: ${s}`);
  });

  it("has no page for a rule that does not exist", () => {
    const ids = new Set(RULES.map((r) => r.id));
    const pages = fs.readdirSync(docs).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) => f.slice(0, -3));
    expect(pages.filter((p) => !ids.has(p))).toEqual([]);
  });
});
