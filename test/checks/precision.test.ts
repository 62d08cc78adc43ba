import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { check } from "../../src/commands/check.js";
import { RULES } from "../../src/checks/registry.js";
import { project } from "./fixtures.js";

const docs = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "checks");

/** The ```sql blocks of one section of a rule's page. */
function sqlBlocks(page: string, heading: string): string[] {
  const start = page.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const end = page.indexOf("\n## ", start + heading.length + 2);
  const section = page.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** A page's SQL example as migration 002: its `-- sluice:` header lines before `-- sluice:upgrade`, its statements after. */
function asFixture(block: string): { sqlHeader: string; sql: string; firstLine: number } {
  const lines = block.trimEnd().split("\n");
  const at = lines.findIndex((l) => l.trim() === "-- sluice:upgrade");
  const header = at < 0 ? [] : lines.slice(0, at);
  const body = at < 0 ? lines : lines.slice(at + 1);
  // fixtures.ts writes three header lines, the extra header (one line, possibly empty), then -- sluice:upgrade.
  return { sqlHeader: header.join("\n"), sql: body.join("\n"), firstLine: 4 + Math.max(1, header.length) + 1 };
}

/** Rules whose examples need more than one migration of SQL (the chain, a downgrade). */
const WHOLE_MIGRATION = new Set(["revision-chain", "missing-downgrade"]);
/** Rules whose examples need a config: lock-timeout applies only with the runner's lockTimeout turned off. */
const CONFIG: Record<string, string> = { "lock-timeout": "{ lockTimeout: 0 }" };

describe("the examples of every rule's page", () => {
  for (const rule of RULES.filter((r) => !WHOLE_MIGRATION.has(r.id))) {
    const page = fs.readFileSync(path.join(docs, `${rule.id}.md`), "utf8");
    sqlBlocks(page, "## Passes").forEach((block, i) => {
      it(`${rule.id}: passing SQL example ${i + 1} raises no error and no warning`, async () => {
        const f = asFixture(block);
        const r = await check({ cwd: project(f, "sql", CONFIG[rule.id]), all: true });
        expect(r.findings.filter((x) => x.revision === "002").map((x) => `${x.rule}: ${x.message}`)).toEqual([]);
      });
    });
    sqlBlocks(page, "## Flagged").forEach((block, i) => {
      it(`${rule.id}: flagged SQL example ${i + 1} gets the rule's finding at a statement of the example`, async () => {
        const f = asFixture(block);
        const r = await check({ cwd: project(f, "sql", CONFIG[rule.id]), all: true });
        const mine = r.findings.filter((x) => x.revision === "002" && x.rule === rule.id);
        expect(mine.length, block).toBeGreaterThan(0);
        const lastLine = f.firstLine + f.sql.split("\n").length - 1;
        for (const x of mine) {
          expect(x.line).toBeGreaterThanOrEqual(f.firstLine);
          expect(x.line).toBeLessThanOrEqual(lastLine);
          // A syntax error is placed where the parser stopped; every other finding at its statement's first token.
          if (rule.id !== "sql-syntax") expect(x.column).toBe(1);
        }
      });
    });
  }
});
