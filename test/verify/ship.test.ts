import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { targets, tempDir } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { sqlMigration } from "../support/project.js";

const MODEL_V1 = `CREATE TYPE mediaassettype AS ENUM ('image', 'video');
CREATE TABLE cad_files (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL, kind mediaassettype NOT NULL DEFAULT 'image');
`;
const CHAIN_001 = sqlMigration("001", null, "cad files", MODEL_V1.trim(), "DROP TABLE cad_files;\nDROP TYPE mediaassettype;");

function project(url: string): string {
  const dir = tempDir("ship");
  fs.mkdirSync(path.join(dir, "migrations"));
  fs.writeFileSync(path.join(dir, "migrations", "001_cad_files.sql"), CHAIN_001);
  fs.writeFileSync(path.join(dir, "schema.sql"), MODEL_V1);
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)}, schema: { sql: "./schema.sql" } });\n`);
  return dir;
}

for (const t of targets) {
  describe(`sluice ship on ${t.name}`, () => {
    it("goes from a model edit to an applied, verified, reported migration, stopping for review first", async () => {
      const tdb = await t.create();
      try {
        const dir = project(tdb.url);
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        const nothing = await sluice(dir, ["ship", "-m", "nothing yet", "--json"]);
        expect(nothing.code, nothing.stderr).toBe(0);
        expect(nothing.json.stopped).toBe("nothing to do");

        // The model changes: a JSONB column, a hash column with an index, an enum value.
        fs.writeFileSync(path.join(dir, "schema.sql"), MODEL_V1.replace("'video')", "'video', 'usd_master')").replace("DEFAULT 'image');", "DEFAULT 'image', step_hash text, source_material_assignments jsonb);") + "CREATE INDEX ix_cad_files_step_hash ON cad_files (step_hash);\n");
        const review = await sluice(dir, ["ship", "-m", "step hash and materials"]);
        expect(review.code, review.stderr).toBe(0);
        expect(review.stdout).toMatch(/✓ current\s+database at 001/);
        expect(review.stdout).toMatch(/✓ generate\s+wrote migrations\/002_step_hash_and_materials\.ts/);
        expect(review.stdout).toMatch(/✓ review\s+read migrations\/002_step_hash_and_materials\.ts/);
        expect(review.stdout).toContain('addEnumValue("mediaassettype", "usd_master"');
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);

        // The user reads the file and deletes each REVIEW mark they resolved.
        const file = path.join(dir, "migrations", "002_step_hash_and_materials.ts");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").split("\n").filter((l) => !/^\s*\/\/ REVIEW:/.test(l)).join("\n"));
        const go = await sluice(dir, ["ship", "-m", "step hash and materials", "--yes", "--report", "report.md"]);
        expect(go.code, go.stdout + go.stderr).toBe(0);
        for (const step of ["check", "verify", "upgrade", "model", "report"]) expect(go.stdout).toMatch(new RegExp(`✓ ${step}`));
        // The check step reports once; upgrade does not check and print the same files again.
        expect(go.stdout + go.stderr).not.toMatch(/migrations? checked|Checked \d+ migration/);
        expect(go.stdout).toMatch(/✓ upgrade\s+applied 002/);
        expect(go.stdout).toMatch(/✓ model\s+the database matches schema\.sql/);
        // The index on cad_files, which holds rows, is built concurrently by 003: the report is the last migration's.
        expect(go.stdout).toMatch(/✓ upgrade\s+applied 002 \(\d+ ms\), 003/);
        expect(fs.readFileSync(path.join(dir, "report.md"), "utf8")).toContain("## Migration 003: step hash and materials (concurrently)");
        expect((await sluice(dir, ["diff", "--json"])).json.drift).toBe(false);
      } finally {
        await tdb.drop();
      }
    });

    it("stops at the failing step with nothing applied", async () => {
      const tdb = await t.create();
      try {
        const dir = project(tdb.url);
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        // A hand-written pending migration whose downgrade forgets its index: check passes, verify catches it.
        fs.writeFileSync(path.join(dir, "migrations", "002_index.sql"), sqlMigration("002", "001", "index", "CREATE INDEX ix_cad_files_name ON cad_files (name);", "SELECT 1;"));
        const r = await sluice(dir, ["ship", "-m", "index", "--yes"]);
        expect(r.code).toBe(1);
        expect(r.stdout).toMatch(/✗ verify\s+round trip failed/);
        expect(r.stderr).toMatch(/ship stopped at verify; nothing was applied/);
        expect(r.stderr).toMatch(/index ix_cad_files_name/);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);

        // A pending file that still holds a REVIEW mark is not applied by --yes alone.
        const marked = sqlMigration("002", "001", "index", "-- REVIEW: is name selective enough for an index?\nCREATE INDEX ix_cad_files_name ON cad_files (name);", "DROP INDEX ix_cad_files_name;");
        fs.writeFileSync(path.join(dir, "migrations", "002_index.sql"), marked);
        const line = marked.split("\n").findIndex((l) => l.startsWith("-- REVIEW:")) + 1;
        const stopped = await sluice(dir, ["ship", "-m", "index", "--yes"]);
        expect(stopped.code, stopped.stderr).toBe(1);
        expect(stopped.stdout).toMatch(/✗ review\s+1 unresolved REVIEW mark\(s\) in migrations\/002_index\.sql/);
        expect(stopped.stderr).toContain(`migrations/002_index.sql:${line}: -- REVIEW: is name selective enough for an index?`);
        expect(stopped.stderr).toMatch(/nothing was applied/);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);
        fs.appendFileSync(path.join(dir, "schema.sql"), "CREATE INDEX ix_cad_files_name ON cad_files (name);\n");
        const accepted = await sluice(dir, ["ship", "-m", "index", "--yes", "--accept-review"]);
        expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
        expect(accepted.stdout).toMatch(/✓ review\s+1 REVIEW mark\(s\) accepted/);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["002"]);
      } finally {
        await tdb.drop();
      }
    });
  });
}
