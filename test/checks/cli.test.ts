import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sluice } from "../support/cli.js";
import { targets, tempDir, type TestDatabase } from "../support/databases.js";
import { BASE, project } from "./fixtures.js";

/** The seed's six checklist items, end to end: `sluice check --format json` names the item, the line and the fix. */
const seedItems: { rule: string; sql: string; sqlDown?: string; line: number }[] = [
  { rule: "missing-downgrade", sql: "ALTER TABLE products ADD COLUMN note text;", sqlDown: "", line: 7 },
  { rule: "not-null-without-default", sql: "ALTER TABLE products ADD COLUMN is_active boolean NOT NULL;", line: 6 },
  { rule: "foreign-key-on-delete", sql: "ALTER TABLE products ADD COLUMN parent_id uuid REFERENCES parents (id);", line: 6 },
  { rule: "destructive-change", sql: "SELECT 1;\nALTER TABLE products DROP COLUMN sku;", line: 7 },
  { rule: "enum-value-not-idempotent", sql: "ALTER TYPE mediaassettype ADD VALUE 'usd_master';", line: 6 },
];

describe("sluice check on the seed's checklist", () => {
  for (const item of seedItems) {
    it(`${item.rule}: exit code, JSON and the line`, async () => {
      const dir = project({ sql: item.sql, sqlDown: item.sqlDown }, "sql");
      const r = await sluice(dir, ["check", "--all", "--format", "json"]);
      const f = r.json.findings.find((x: { rule: string }) => x.rule === item.rule);
      expect(f, r.stdout + r.stderr).toMatchObject({ rule: item.rule, revision: "002", file: "migrations/002_change.sql", line: item.line });
      expect(typeof f.fix).toBe("string");
      expect(r.json.checked).toEqual(["001", "002"]);
      expect(r.code).toBe(f.severity === "error" ? 1 : 0);
    });
  }

  it("revision-chain: a down revision that skips its predecessor, and a gap in the numbers", async () => {
    const dir = project({ sql: "SELECT 1;" }, "sql");
    fs.writeFileSync(
      path.join(dir, "migrations", "004_more.sql"),
      "-- sluice:revision 004\n-- sluice:down-revision 001\n-- sluice:upgrade\nSELECT 1;\n-- sluice:downgrade\nSELECT 1;\n",
    );
    const r = await sluice(dir, ["check", "--all", "--format", "json"]);
    // 004 and 002 both build on 001: two heads from one parent, a collision rebase resolves.
    expect(r.code).toBe(2);
    expect(r.json.collisions).toEqual(["001"]);
    expect(r.stderr).toMatch(/claim revision 001; run `sluice rebase`/);
    const chain = r.json.findings.filter((f: { rule: string }) => f.rule === "revision-chain");
    expect(chain.map((f: { message: string }) => f.message).join("\n")).toMatch(/003 is missing[\s\S]*but the migration before this one is 002|but the migration before this one is 002[\s\S]*003 is missing/);
    expect(chain.every((f: { file: string; line: number }) => f.file === "migrations/004_more.sql" && f.line >= 1)).toBe(true);
  });

  it("check --explain RULE prints the rule's page; an unknown rule is bad usage", async () => {
    const dir = project({ sql: "SELECT 1;" }, "sql");
    const r = await sluice(dir, ["check", "--explain", "reindex-not-concurrent"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("# reindex-not-concurrent");
    expect(r.stdout).toContain("## The safe way");
    const bad = await sluice(dir, ["check", "--explain", "no-such-rule"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('There is no check rule "no-such-rule"');
    expect(bad.stderr).toContain("reindex-not-concurrent");
  });

  it("revision-chain: duplicate revisions are findings, not a crash", async () => {
    const dir = project({ sql: "SELECT 1;" }, "sql");
    fs.writeFileSync(path.join(dir, "migrations", "003_dup.sql"), "-- sluice:revision 002\n-- sluice:down-revision 001\n-- sluice:upgrade\nSELECT 1;\n-- sluice:downgrade\nSELECT 1;\n");
    const r = await sluice(dir, ["check", "--format", "json"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.json.collisions).toEqual(["002"]);
    expect(r.json.findings.some((f: { rule: string; message: string }) => f.rule === "revision-chain" && /also declared by .*a collision of two branches/.test(f.message))).toBe(true);
    expect(r.json.notes.join(" ")).toMatch(/chain is broken/);
  });

  it("text output groups by file, shows the offending line and ends with a count; github output annotates", async () => {
    const dir = project({ sql: "ALTER TYPE mediaassettype ADD VALUE 'usd_master';" }, "sql");
    const text = await sluice(dir, ["check", "--all"]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain("migrations/002_change.sql");
    expect(text.stdout).toContain("| ALTER TYPE mediaassettype ADD VALUE 'usd_master';");
    expect(text.stdout).toContain("6:1: error [enum-value-not-idempotent]");
    expect(text.stdout).toContain("docs: docs/checks/enum-value-not-idempotent.md (sluice check --explain enum-value-not-idempotent)");
    expect(text.stdout).toMatch(/2 migrations checked: 1 error, \d+ warnings?\.\s*$/);
    const gh = await sluice(dir, ["check", "--all", "--format", "github"]);
    expect(gh.stdout).toContain("::error file=migrations/002_change.sql,line=6,col=1,title=enum-value-not-idempotent::");
    expect(gh.stdout).toContain("Docs: docs/checks/enum-value-not-idempotent.md");
    const json = await sluice(dir, ["check", "--all", "--format", "json"]);
    expect(json.json.findings.find((f: { rule: string }) => f.rule === "enum-value-not-idempotent")).toMatchObject({ line: 6, column: 1, docs: "docs/checks/enum-value-not-idempotent.md" });
  });

  it("an acknowledged finding is reported with its reason and does not fail the check", async () => {
    const dir = project({ sql: "-- sluice:allow destructive-change sku moved to product_codes\nALTER TABLE products DROP COLUMN sku;" }, "sql");
    const r = await sluice(dir, ["check", "--all", "--format", "json"]);
    expect(r.json.findings.filter((f: { rule: string }) => f.rule === "destructive-change")).toEqual([]);
    expect(r.json.suppressed).toContainEqual(expect.objectContaining({ rule: "destructive-change", reason: "sku moved to product_codes", line: 7 }));
  });

  it("a config can turn a rule off or make the lock rules errors, and rejects unknown rules", async () => {
    const sql = "ALTER TABLE products ADD COLUMN pim_id varchar(64);";
    const off = await sluice(project({ sql }, "sql", `{ checks: { rules: { "varchar-length": "off" } } }`), ["check", "--all", "--format", "json"]);
    expect(off.json.findings.some((f: { rule: string }) => f.rule === "varchar-length")).toBe(false);
    const strict = await sluice(project({ sql }, "sql", `{ lockTimeout: 0, checks: { preset: "strict" } }`), ["check", "--all", "--format", "json"]);
    expect(strict.json.findings.find((f: { rule: string }) => f.rule === "lock-timeout").severity).toBe("error");
    expect(strict.code).toBe(1);
    const bad = await sluice(project({ sql }, "sql", `{ checks: { rules: { "no-such-rule": "off" } } }`), ["check", "--all"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown rule "no-such-rule"/);
  });

  it("findings are kept between runs, yet follow a helper module, the file and the config", async () => {
    // The migration's ops come from a helper: its own file never changes.
    const dir = project({ ts: "addColumns(op);", tsOptions: "" }, "ts");
    const file = path.join(dir, "migrations", "002_change.ts");
    fs.writeFileSync(file, `import { addColumns } from "../helper";\n${fs.readFileSync(file, "utf8")}`);
    const helper = path.join(dir, "helper.ts");
    fs.writeFileSync(helper, `export function addColumns(op: any) {\n  op.addColumn("products", { name: "note", type: "text", nullable: true });\n}\n`);
    const rules = async () => {
      const r = await sluice(dir, ["check", "--all", "--format", "json"]);
      return r.json.findings.map((f: { rule: string; severity: string }) => `${f.rule}:${f.severity}`).sort();
    };
    const first = await rules();
    expect(first).not.toContain("varchar-length:warning");
    expect(fs.existsSync(path.join(dir, ".sluice", "cache", "checks.json"))).toBe(true);
    expect(await rules()).toEqual(first);

    fs.writeFileSync(helper, `export function addColumns(op: any) {\n  op.addColumn("products", { name: "note", type: "varchar(20)", nullable: true });\n}\n`);
    expect(await rules()).toContain("varchar-length:warning");

    expect(first.some((r: string) => r.startsWith("destructive-change"))).toBe(false);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("addColumns(op);", 'addColumns(op);\n    op.dropColumn("products", "sku");'));
    const edited = await rules();
    expect(edited).toContain("varchar-length:warning");
    expect(edited.some((r: string) => r.startsWith("destructive-change"))).toBe(true);

    const config = path.join(dir, "sluice.config.ts");
    fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace("...{}", '...{ checks: { rules: { "varchar-length": "error" } } }'));
    expect(await rules()).toContain("varchar-length:error");
  });

  it("an unknown revision is bad input (exit 2)", async () => {
    const r = await sluice(project({ sql: "SELECT 1;" }, "sql"), ["check", "042"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No migration has revision 042/);
  });
});

/** The seed's Common Patterns, written as a Sluice migration. */
const COMMON_PATTERNS = `import { defineMigration } from "sluice";

export default defineMigration({
  revision: "002",
  downRevision: "001",
  message: "common patterns",
  upgrade(op) {
    op.addColumn("products", { name: "new_field", type: "varchar(200)", nullable: true });
    op.addColumn("products", { name: "is_active", type: "boolean", nullable: false, serverDefault: "true" });
    op.addColumn("products", { name: "data", type: "jsonb", nullable: true });
    op.addColumn("products", { name: "parent_id", type: "uuid", nullable: true, references: { table: "parents", column: "id", onDelete: "CASCADE" } });
    op.addColumn("products", { name: "pim_id", type: "varchar(64)", nullable: true });
    op.createIndex("uq_products_pim_id", "products", ["pim_id"], { unique: true, where: "pim_id IS NOT NULL" });
    op.execute("ALTER TYPE mediaassettype ADD VALUE IF NOT EXISTS 'usd_master'");
    op.execute(\`
      UPDATE products
      SET name = 'scene_linear_deflection'
      WHERE name = 'gltf_production_linear_deflection'
    \`);
    op.execute(\`
      UPDATE products
      SET new_field = name
      WHERE new_field IS NULL
    \`);
  },
  downgrade(op) {
    op.dropIndex("uq_products_pim_id");
    op.dropColumn("products", "pim_id");
    op.dropColumn("products", "parent_id");
    op.dropColumn("products", "data");
    op.dropColumn("products", "is_active");
    op.dropColumn("products", "new_field");
  },
});
`;

function commonPatternsProject(url: string, migration = COMMON_PATTERNS): string {
  const dir = tempDir("patterns");
  fs.mkdirSync(path.join(dir, "migrations"));
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)} });\n`);
  fs.writeFileSync(path.join(dir, "migrations", "001_base.sql"), BASE);
  fs.writeFileSync(path.join(dir, "migrations", "002_common_patterns.ts"), migration);
  return dir;
}

for (const target of targets) {
  describe(`sluice upgrade runs the checks (${target.name})`, () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await target.create();
    });
    afterEach(async () => {
      await db.drop();
    });

    it("a migration written as the seed's Common Patterns has no error-level finding and applies", async () => {
      const dir = commonPatternsProject(db.url);
      const r = await sluice(dir, ["check", "--format", "json"]);
      expect(r.json.findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
      expect(r.code).toBe(0);
      const up = await sluice(dir, ["upgrade"]);
      expect(up.code, up.stderr).toBe(0);
    });

    it("refuses a migration that breaks the checklist, applies nothing, and applies once it is acknowledged", async () => {
      const bad = COMMON_PATTERNS.replace(`op.addColumn("products", { name: "data", type: "jsonb", nullable: true });`, `op.dropColumn("products", "sku");`)
        .replace(`op.dropColumn("products", "data");`, `op.addColumn("products", { name: "sku", type: "text", nullable: true });`);
      const dir = commonPatternsProject(db.url, bad);
      const refused = await sluice(dir, ["upgrade", "--json"]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/destructive-change/);
      expect(refused.stderr).toMatch(/002_common_patterns\.ts/);
      expect(refused.json.findings).toContainEqual(expect.objectContaining({ rule: "destructive-change", line: 10 }));
      const current = await sluice(dir, ["current", "--json"]);
      expect(current.json.current).toEqual([]);

      fs.writeFileSync(
        path.join(dir, "migrations", "002_common_patterns.ts"),
        bad.replace(`op.dropColumn("products", "sku");`, `op.dropColumn("products", "sku", { allow: { "destructive-change": "sku is unused since the PIM import" } });`),
      );
      const applied = await sluice(dir, ["upgrade"]);
      expect(applied.code, applied.stderr).toBe(0);
      expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["002"]);
    });

    it("--no-check applies what the checks would refuse", async () => {
      const dir = commonPatternsProject(db.url, COMMON_PATTERNS.replace(`op.execute("ALTER TYPE mediaassettype ADD VALUE IF NOT EXISTS 'usd_master'");`, `op.execute("ALTER TYPE mediaassettype ADD VALUE 'usd_master'");`));
      expect((await sluice(dir, ["upgrade"])).code).toBe(1);
      const forced = await sluice(dir, ["upgrade", "--no-check"]);
      expect(forced.code, forced.stderr).toBe(0);
    });

    it("check looks only at pending revisions once some are applied", async () => {
      const dir = commonPatternsProject(db.url);
      expect((await sluice(dir, ["upgrade", "001"])).code).toBe(0);
      const r = await sluice(dir, ["check", "--format", "json"]);
      expect(r.json.checked).toEqual(["002"]);
    });
  });
}
