import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir, targets, type TestDatabase } from "../support/databases.js";
import { compileModel, type Model, type ScratchTarget } from "../../src/model/index.js";
import { compileDrizzle, loadDrizzleKit } from "../../src/model/drizzle.js";
import { loadModelModule } from "../../src/model/load.js";

/** A model before and after a team's edit: a column and an index on a referenced table, an enum value, a new table. */
const MODEL = (edited: boolean) => `
import { sql } from "drizzle-orm";
import { pgTable, pgEnum, serial, uuid, text, integer, index, uniqueIndex } from "drizzle-orm/pg-core";

export const kind = pgEnum("kind", ["image", "video"${edited ? `, "usd_master"` : ""}]);

export const products = pgTable("products", {
  id: serial("id").primaryKey(),
  sku: text("sku").notNull().unique(),${edited ? `\n  stepHash: text("step_hash"),` : ""}
}, (t) => [${edited ? `index("ix_products_step_hash").on(t.stepHash)` : ""}]);

export const assets = pgTable("assets", {
  id: uuid("id").primaryKey().defaultRandom(),
  productId: integer("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
  kind: kind("kind").notNull(),
}, (t) => [uniqueIndex("uq_assets_product_kind").on(t.productId, t.kind).where(sql\`\${t.kind} <> 'video'\`)]);

export const notes = pgTable("notes", {
  id: serial("id").primaryKey(),
  body: text("body").notNull(),
});
${edited ? `\nexport const reviews = pgTable("reviews", {\n  id: serial("id").primaryKey(),\n  assetId: uuid("asset_id").references(() => assets.id),\n});\n` : ""}`;

async function modelOf(dir: string, name: string, source: string): Promise<Model> {
  const file = path.join(dir, `${name}.ts`);
  fs.writeFileSync(file, source);
  const parts = compileDrizzle(await loadModelModule(file), await loadDrizzleKit(file));
  return { kind: "drizzle", file: `${name}.ts`, statements: [], parts, notManaged: [], leftAlone: [] };
}

for (const target of targets) {
  describe(`the compiled-model cache (${target.name})`, () => {
    let tdb: TestDatabase;
    let scratch: ScratchTarget;
    let dir: string;
    beforeAll(async () => {
      tdb = await target.create();
      scratch = target.name === "pglite" ? { kind: "pglite" } : { kind: "server", url: tdb.url };
      dir = repoTempDir("model-cache");
    });
    afterAll(async () => {
      await tdb.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const compile = async (model: Model, cacheFile?: string) => {
      const compiled = await compileModel(model, scratch, { cacheFile });
      await compiled.disposed;
      return compiled.schema;
    };

    it("after an edit, only the changed tables are compiled anew, and the result is the schema compiled whole", async () => {
      const cacheFile = path.join(dir, "cache", "model.json");
      const before = await modelOf(dir, "before", MODEL(false));
      const after = await modelOf(dir, "after", MODEL(true));

      expect(await compile(before, cacheFile)).toEqual(await compile(before));
      expect(fs.existsSync(cacheFile)).toBe(true);
      const whole = await compile(after);
      expect(whole).not.toEqual(await compile(before));
      expect(await compile(after, cacheFile)).toEqual(whole);
      // Back to the model before: the tables the edit touched are compiled again, the others still come from the cache.
      expect(await compile(before, cacheFile)).toEqual(await compile(before));
    });

    it("a broken edit is reported as without the cache", async () => {
      const cacheFile = path.join(dir, "cache", "broken.json");
      await compile(await modelOf(dir, "good", MODEL(false)), cacheFile);
      const broken = await modelOf(dir, "broken", MODEL(false).replace(`text("body").notNull()`, `text("body").notNull().default(sql\`no_such_function()\`)`));
      const message = (p: Promise<unknown>) => p.then(() => "", (err: Error) => err.message);
      const cached = await message(compile(broken, cacheFile));
      expect(cached).toContain("no_such_function");
      expect(cached).toBe(await message(compile(broken)));
    });

    it("an enum named only in a table's SQL text recompiles that table when it changes", async () => {
      const cacheFile = path.join(dir, "cache", "enum-text.json");
      const model = (values: string) => `
import { sql } from "drizzle-orm";
import { pgTable, pgEnum, serial, text, check } from "drizzle-orm/pg-core";
export const mood = pgEnum("mood", [${values}]);
export const diary = pgTable("diary", { id: serial("id").primaryKey(), m: mood("m") });
export const people = pgTable("people", {
  id: serial("id").primaryKey(),
  feeling: text("feeling"),
}, (t) => [check("feeling_not_sad", sql\`\${t.feeling}::mood <> 'sad'\`)]);
`;
      await compile(await modelOf(dir, "moods", model(`"happy", "sad"`)), cacheFile);
      // 'sad' is gone, so the CHECK of people no longer compiles: the cache must not hide that.
      const edited = await modelOf(dir, "moods-edited", model(`"happy", "calm"`));
      const message = (p: Promise<unknown>) => p.then(() => "", (err: Error) => err.message);
      const cached = await message(compile(edited, cacheFile));
      expect(cached).toContain("sad");
      expect(cached).toBe(await message(compile(edited)));
    });
  });
}
