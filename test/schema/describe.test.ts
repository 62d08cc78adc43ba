import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets, tempDir, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";

/** The seed's common patterns: an enum column, JSONB, a UUID foreign key with cascade, a partial unique index. */
const SEED_SQL = `
CREATE TYPE product_status AS ENUM ('draft', 'active', 'archived');
CREATE TABLE categories (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL
);
CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name varchar(200) NOT NULL,
  pim_id varchar(64),
  status product_status NOT NULL DEFAULT 'draft',
  data jsonb,
  is_active boolean NOT NULL DEFAULT true,
  category_id uuid REFERENCES categories (id) ON DELETE CASCADE,
  CONSTRAINT products_name_not_blank CHECK (name <> '')
);
CREATE UNIQUE INDEX uq_products_pim_id ON products (pim_id) WHERE pim_id IS NOT NULL;
CREATE TABLE media_assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER media_assets_touch BEFORE UPDATE ON media_assets FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER media_assets_audit AFTER INSERT ON media_assets FOR EACH STATEMENT EXECUTE FUNCTION touch();
ALTER TABLE media_assets DISABLE TRIGGER media_assets_audit;
ALTER TABLE media_assets ENABLE ROW LEVEL SECURITY;
CREATE POLICY media_assets_read ON media_assets FOR SELECT USING (true);
CREATE POLICY media_assets_own ON media_assets AS RESTRICTIVE FOR UPDATE TO CURRENT_USER USING (product_id IS NOT NULL) WITH CHECK (product_id IS NOT NULL);
CREATE TABLE "Order Lines" ("Product" uuid REFERENCES products (id), "select" integer NOT NULL);
INSERT INTO categories (name) VALUES ('chairs');
INSERT INTO products (name, pim_id, category_id) SELECT 'p' || g, CASE WHEN g % 2 = 0 THEN 'pim-' || g END, (SELECT id FROM categories) FROM generate_series(1, 3) g;
ANALYZE;
`;

for (const t of targets) {
  describe(t.name, () => {
    let database: TestDatabase;
    let project: string;
    const run = (...args: string[]) => sluice(project, ["--url", database.url, ...args]);

    beforeAll(async () => {
      database = await t.create();
      const db = await database.open();
      await db.exec(SEED_SQL);
      await db.close();
      project = tempDir("describe");
      fs.writeFileSync(path.join(project, "sluice.config.mjs"), "export default { migrations: './migrations' };\n");
    });
    afterAll(async () => {
      await database?.drop();
    });

    it("shows a table's JSONB column, cascading UUID foreign key, partial unique index and enum", async () => {
      const r = await run("describe", "products");
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const lines = r.stdout.split("\n").map((l) => l.replace(/\s+/g, " ").trim());
      expect(lines[0]).toBe("Table public.products (~3 rows)");
      expect(lines).toContain("data | jsonb | |");
      expect(lines).toContain("pim_id | character varying(64) | |");
      expect(lines).toContain("status | product_status | not null | 'draft'::product_status");
      expect(lines).toContain("category_id | uuid | |");
      expect(lines).toContain("products_pkey (id)");
      expect(lines).toContain("uq_products_pim_id UNIQUE btree (pim_id) WHERE (pim_id IS NOT NULL)");
      expect(lines).toContain("products_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories(id) ON DELETE CASCADE");
      expect(lines).toContain("products_name_not_blank CHECK (name::text <> ''::text)");
      expect(lines).toContain("TABLE public.media_assets CONSTRAINT media_assets_product_id_fkey FOREIGN KEY (product_id) REFERENCES products(id) ON DELETE CASCADE");
      expect(lines).toContain('TABLE public."Order Lines" CONSTRAINT "Order Lines_Product_fkey" FOREIGN KEY ("Product") REFERENCES products(id)');
      expect(lines).toContain("product_status: draft, active, archived");
    });

    it("shows a table's row-level security, policies and triggers as psql's \\d does", async () => {
      const r = await run("describe", "media_assets");
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.split("\n").map((l) => l.replace(/\s+/g, " ").trim());
      const at = (line: string) => lines.indexOf(line);
      expect(lines).toContain("Policies:");
      expect(at('POLICY "media_assets_own" AS RESTRICTIVE FOR UPDATE')).toBeGreaterThan(at("Policies:"));
      expect(lines[at('POLICY "media_assets_own" AS RESTRICTIVE FOR UPDATE') + 1]).toBe("TO postgres");
      expect(lines).toContain("USING (product_id IS NOT NULL)");
      expect(lines).toContain("WITH CHECK (product_id IS NOT NULL)");
      expect(lines[at('POLICY "media_assets_read" FOR SELECT') + 1]).toBe("USING (true)");
      expect(lines[at("Triggers:") + 1]).toBe("media_assets_touch BEFORE UPDATE ON public.media_assets FOR EACH ROW EXECUTE FUNCTION touch()");
      expect(lines[at("Disabled user triggers:") + 1]).toBe("media_assets_audit AFTER INSERT ON public.media_assets FOR EACH STATEMENT EXECUTE FUNCTION touch()");

      const json = await run("describe", "media_assets", "--json");
      expect(json.json.table.rowSecurity).toEqual({ enabled: true, forced: false });
      expect(json.json.table.policies.map((p: { name: string }) => p.name)).toEqual(["media_assets_own", "media_assets_read"]);
      expect(json.json.triggers).toEqual([
        expect.objectContaining({ name: "media_assets_audit", enabled: "disabled" }),
        expect.objectContaining({ name: "media_assets_touch", enabled: "origin" }),
      ]);
    });

    it("gives the same facts as JSON", async () => {
      const r = await run("describe", "products", "--json");
      expect(r.code).toBe(0);
      const { table, enums, referencedBy, rowEstimate } = r.json;
      expect(rowEstimate).toBe(3);
      expect(table.columns.find((c: { name: string }) => c.name === "data")).toMatchObject({ type: "jsonb", nullable: true });
      expect(table.foreignKeys).toEqual([
        expect.objectContaining({ columns: ["category_id"], references: { schema: "public", table: "categories", columns: ["id"] }, onDelete: "cascade" }),
      ]);
      expect(table.indexes).toEqual([expect.objectContaining({ name: "uq_products_pim_id", unique: true, columns: [{ column: "pim_id" }], where: "pim_id IS NOT NULL" })]);
      expect(enums).toEqual([{ schema: "public", name: "product_status", values: ["draft", "active", "archived"], comment: null }]);
      expect(referencedBy.map((x: { table: string }) => x.table)).toEqual(["Order Lines", "media_assets"]);
    });

    it("accepts schema.table and quoted names", async () => {
      const qualified = await run("describe", "public.products", "--json");
      expect(qualified.json.table.name).toBe("products");
      const quoted = await run("describe", '"Order Lines"', "--json");
      expect(quoted.code).toBe(0);
      expect(quoted.json.table.columns.map((c: { name: string }) => c.name)).toEqual(["Product", "select"]);
      const bare = await run("describe", "Order Lines");
      expect(bare.stdout).toContain('Table public."Order Lines"');
    });

    it("refuses an unknown table with exit 2 and the closest names", async () => {
      const r = await run("describe", "prodcts");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain('No table or view named "prodcts" in schema public.');
      expect(r.stderr).toContain("Did you mean products?");
      const json = await run("describe", "media", "--json");
      expect(json.code).toBe(2);
      expect(json.json).toMatchObject({ error: "unknown-table", closest: ["media_assets"] });
    });

    it("lists the tables with their row estimates when no table is given", async () => {
      const r = await run("describe", "--json");
      expect(r.code).toBe(0);
      expect(r.json.relations).toEqual([
        { schema: "public", name: "Order Lines", kind: "table", rowEstimate: 0 },
        { schema: "public", name: "categories", kind: "table", rowEstimate: 1 },
        { schema: "public", name: "media_assets", kind: "table", rowEstimate: 0 },
        { schema: "public", name: "products", kind: "table", rowEstimate: 3 },
      ]);
      const text = await run("describe");
      expect(text.stdout).toMatch(/products\s+\| table\s+\| ~3/);
    });
  });
}
