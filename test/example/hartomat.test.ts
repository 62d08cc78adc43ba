import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { targets, tempDir, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const example = path.join(root, "examples", "hartomat");

/**
 * A copy of the example project, without any local state (`.sluice/`). Its
 * model imports drizzle-orm, which the copy finds through a link to the
 * repository's node_modules, as a project finds its own.
 */
function copyExample(): string {
  const dir = path.join(tempDir("hartomat"), "hartomat");
  fs.cpSync(example, dir, {
    recursive: true,
    filter: (src) => !["node_modules", ".sluice"].includes(path.basename(src)),
  });
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

const revisions = Array.from({ length: 59 }, (_, i) => String(i + 1).padStart(3, "0"));

describe("examples/hartomat without a database", () => {
  it("passes sluice check --all with no errors and nothing left to acknowledge", async () => {
    const dir = copyExample();
    const r = await sluice(dir, ["check", "--all", "--json"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.json.findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
    // 044 drops a redundant index concurrently: no data is lost, so there is nothing to acknowledge.
    expect(r.json.suppressed).toEqual([]);
  });

  it("the chain replayed at 059 is exactly the Drizzle model, and verify proves every revision from base", async () => {
    const dir = copyExample();
    const diff = await sluice(dir, ["diff", "--from-chain"]);
    expect(diff.code, diff.stdout + diff.stderr).toBe(0);
    expect(diff.stdout).toContain("No drift");
    const verify = await sluice(dir, ["verify", "--all"]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });
});

for (const t of targets) {
  describe(`examples/hartomat on ${t.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      tdb = await t.create();
      dir = copyExample();
    });
    afterAll(async () => tdb?.drop());

    it("upgrades to 059, takes the seed rows, goes back to base and up again", async () => {
      const url = ["--url", tdb.url];

      const before = await sluice(dir, ["current", "--json", ...url]);
      expect(before.code, before.stderr).toBe(0);
      expect(before.json).toMatchObject({ current: [], head: "059", heads: ["059"], next: "060", pending: revisions });

      const up = await sluice(dir, ["upgrade", "--json", ...url]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.json.steps.map((s: { revision: string }) => s.revision)).toEqual(revisions);

      const at = await sluice(dir, ["current", "--json", ...url]);
      expect(at.json).toMatchObject({ current: ["059"], head: "059", next: "060", pending: [] });

      let db = await tdb.open();
      try {
        await db.exec(fs.readFileSync(path.join(dir, "seed.sql"), "utf8"));
        const count = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
        for (const table of ["tenants", "users", "products", "cad_files", "media_assets", "orders", "order_lines"]) {
          expect(await count(table), table).toBeGreaterThan(0);
        }
      } finally {
        await db.close();
      }

      // The seeded rows go with their tables: that takes --yes.
      const base = await sluice(dir, ["downgrade", "base", "--yes", "--json", ...url]);
      expect(base.code, base.stderr).toBe(0);
      expect(base.json.steps.map((s: { revision: string }) => s.revision)).toEqual([...revisions].reverse());
      db = await tdb.open();
      try {
        const left = await db.query<{ name: string }>(
          "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'sluice_version'",
        );
        expect(left.rows).toEqual([]);
        const types = await db.query("SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'");
        expect(types.rows).toEqual([]);
      } finally {
        await db.close();
      }

      const again = await sluice(dir, ["upgrade", ...url]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("The database is now at 059 (was base)");

      const diff = await sluice(dir, ["diff", ...url]);
      expect(diff.code, diff.stdout + diff.stderr).toBe(0);
    });

    it("has what a user of HartOMat sees at 059", async () => {
      const db = await tdb.open();
      try {
        const labels = async (type: string) =>
          (await db.query<{ v: string }>(`SELECT unnest(enum_range(NULL::${type}))::text AS v`)).rows.map((r) => r.v);
        // 049 put the new roles at the top of the hierarchy; usd_master arrives only with 060.
        expect(await labels("userrole")).toEqual(["global_admin", "tenant_admin", "admin", "editor", "viewer"]);
        expect(await labels("mediaassettype")).toEqual(["image", "video", "document", "thumbnail", "gltf", "gltf_production"]);
        expect(await labels("orderstatus")).toEqual(["draft", "submitted", "in_production", "completed", "cancelled"]);

        const index = await db.query<{ def: string }>("SELECT pg_get_indexdef('uq_products_pim_id'::regclass) AS def");
        expect(index.rows[0].def).toMatch(/^CREATE UNIQUE INDEX uq_products_pim_id ON (public\.)?products USING btree \(pim_id\) WHERE \(pim_id IS NOT NULL\)$/);

        // The settings as the rename migrations (030, 045, 058) left them.
        const keys = (await db.query<{ key: string }>("SELECT key FROM system_settings ORDER BY key")).rows.map((r) => r.key);
        expect(keys).toEqual([
          "cycles_samples",
          "gltf_production_angular_deflection",
          "gltf_production_linear_deflection",
          "gltf_production_linear_deflection_min",
          "gltf_production_linear_deflection_relative",
          "media_thumbnail_size_px",
          "render_engine",
        ]);

        // 059's data: the top view leads the global positions.
        const positions = await db.query<{ name: string }>("SELECT name FROM render_positions WHERE tenant_id IS NULL ORDER BY sort_order");
        expect(positions.rows.map((r) => r.name)).toEqual(["top", "front", "side", "back", "iso"]);

        // Not yet: the roadmap's columns on cad_files.
        const columns = await db.query<{ column_name: string }>(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'cad_files' ORDER BY ordinal_position",
        );
        expect(columns.rows.map((r) => r.column_name)).not.toContain("step_hash");
        expect(columns.rows.map((r) => r.column_name)).not.toContain("source_material_assignments");

        // The partial unique index: many products without a PIM id, none sharing one.
        await db.exec(fs.readFileSync(path.join(dir, "seed.sql"), "utf8"));
        const tenant = "00000000-0000-4000-8000-000000000002";
        await db.query("INSERT INTO products (tenant_id, sku, name) VALUES ($1, 'AS-900', 'a'), ($1, 'AS-901', 'b')", [tenant]);
        await expect(db.query("INSERT INTO products (tenant_id, sku, name, pim_id) VALUES ($1, 'AS-902', 'c', 'PIM-AS-100')", [tenant])).rejects.toThrow(
          /uq_products_pim_id/,
        );
      } finally {
        await db.close();
      }
    });
  });
}
