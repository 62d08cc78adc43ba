import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { targets, tempDir } from "../support/databases.js";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** `npm run demo`: the HartOMat roadmap carried out with Sluice, on each database. */
for (const t of targets) {
  describe(`the demo on ${t.name}`, () => {
    it("ships 060–064 with no check errors, each verified, and leaves cad_files with the roadmap's columns", async () => {
      const tdb = t.name === "postgres" ? await t.create() : null;
      try {
        const args = [path.join(root, "scripts", "demo.mjs"), ...(tdb ? ["--url", tdb.url] : [])];
        const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, SLUICE_DEMO_ROOT: tempDir("demo") } });
        const out = r.stdout;
        expect(r.status, out + r.stderr).toBe(0);
        expect(out).toMatch(/head 059/);
        const shipped = [...out.matchAll(/✓ upgrade\s+applied (\d{3})/g)].map((m) => m[1]);
        // 062 adds step_hash; its index is built concurrently by 063, outside a transaction, in the same ship.
        expect(shipped).toEqual(["060", "061", "062", "064"]);
        expect(out).toMatch(/✓ upgrade\s+applied 062 \(\d+ ms\), 063 \(\d+ ms\)/);
        expect(out).not.toMatch(/^✗/m);
        expect([...out.matchAll(/✓ check\s+no errors/g)]).toHaveLength(4);
        expect([...out.matchAll(/✓ verify\s+round trip ok/g)]).toHaveLength(4);
        expect([...out.matchAll(/✓ model\s+the database matches src\/db\/schema\.ts/g)]).toHaveLength(4);
        expect(out).toContain('addEnumValue("mediaassettype", "usd_master"');
        // The history: the new revisions on top, 048 and 049 where the seed says they were done.
        expect(out).toMatch(/063 -> 064 .*rename gltf_production settings to scene\s+\[applied\]/);
        expect(out).toMatch(/047 -> 048 .*\[applied\]/);
        expect(out).toMatch(/048 -> 049 .*\[applied\]/);
        // cad_files as \d shows it at the end.
        const table = out.slice(out.indexOf("Table public.cad_files"));
        for (const column of ["source_material_assignments", "resolved_material_assignments", "manual_material_overrides"]) {
          expect(table).toMatch(new RegExp(`${column}\\s+\\| jsonb\\s+\\|\\s+\\|`));
        }
        expect(table).toMatch(/step_hash\s+\| character varying\(64\)/);
        expect(table).toMatch(/ix_cad_files_step_hash btree \(step_hash\)/);
      } finally {
        await tdb?.drop();
      }
    });
  });
}
