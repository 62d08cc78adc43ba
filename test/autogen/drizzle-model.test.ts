import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir, targets, tempDir, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";

/** What a user sees when Drizzle Kit is missing, of another line, or rejects the model, and what Sluice leaves unmanaged. */

const repoModules = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "..", "node_modules");

const MODEL = `
import { sql } from "drizzle-orm";
import { pgTable, pgView, serial, text } from "drizzle-orm/pg-core";
export const people = pgTable("people", { id: serial("id").primaryKey(), name: text("name") });
`;

function project(dir: string, url: string, model: string): string {
  fs.writeFileSync(path.join(dir, "sluice.config.mjs"), `export default { database: ${JSON.stringify(url)}, migrations: "./migrations", schema: { drizzle: "./schema.ts" } };\n`);
  fs.mkdirSync(path.join(dir, "migrations"), { recursive: true });
  fs.writeFileSync(path.join(dir, "schema.ts"), model);
  return dir;
}

/** A project outside the repository whose node_modules has drizzle-orm and, when given, a drizzle-kit of `kitVersion`. */
function isolatedProject(url: string, kitVersion?: string): string {
  const dir = tempDir("drizzle-kit");
  fs.mkdirSync(path.join(dir, "node_modules"));
  fs.symlinkSync(path.join(repoModules, "drizzle-orm"), path.join(dir, "node_modules", "drizzle-orm"));
  if (kitVersion) {
    const kit = path.join(dir, "node_modules", "drizzle-kit");
    fs.mkdirSync(kit);
    fs.writeFileSync(path.join(kit, "package.json"), JSON.stringify({ name: "drizzle-kit", version: kitVersion, exports: { "./api": "./api.js" } }));
    fs.writeFileSync(path.join(kit, "api.js"), "module.exports = {};\n");
  }
  return project(dir, url, MODEL);
}

const migrations = (dir: string) => fs.readdirSync(path.join(dir, "migrations"));

for (const target of targets) {
  describe(`a Drizzle model and its drizzle-kit (${target.name})`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await target.create();
    });
    afterAll(async () => tdb?.drop());

    it("without drizzle-kit in the project, autogenerate exits 2 naming the package and version to install, and writes nothing", async () => {
      const dir = isolatedProject(tdb.url);
      const r = await sluice(dir, ["revision", "--autogenerate", "-m", "x"]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain("drizzle-kit is not installed");
      expect(r.stderr).toContain("npm install --save-dev drizzle-kit@^0.31.0");
      expect(migrations(dir)).toEqual([]);
    });

    it("with a drizzle-kit of another line, diff exits 2 naming the version in use and the one to install", async () => {
      for (const version of ["0.20.18", "1.0.0-beta.1"]) {
        const dir = isolatedProject(tdb.url, version);
        const r = await sluice(dir, ["diff", "--json"]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.json).toMatchObject({ error: "drizzle-kit-version", drizzleKit: version });
        expect(r.json.message).toContain(`drizzle-kit ${version} is installed`);
        expect(r.json.hint).toContain("drizzle-kit@^0.31.0");
      }
    });

    it("a model Drizzle Kit rejects gets Drizzle Kit's message and the model's line, exit 2, nothing written", async () => {
      const dir = project(
        repoTempDir("drizzle-reject"),
        tdb.url,
        `import { pgTable, serial, text } from "drizzle-orm/pg-core";

export const users = pgTable("users", {
  id: serial("id").primaryKey(),
  a: text("a").unique("users_dup"),
  b: text("b").unique("users_dup"),
});
`,
      );
      const r = await sluice(dir, ["revision", "--autogenerate", "-m", "x"]);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toContain("drizzle-kit 0.31");
      expect(r.stderr).toContain("duplicated unique constraint names");
      expect(r.stderr).toContain("schema.ts:3");
      expect(migrations(dir)).toEqual([]);
    });

    it("what a Schema cannot hold yet is named as not managed, and never written nor dropped", async () => {
      const dir = project(
        repoTempDir("drizzle-unmanaged"),
        tdb.url,
        `${MODEL}export const named = pgView("named").with({ securityBarrier: true }).as((qb) => qb.select({ id: people.id }).from(people));\n`,
      );
      const rev = await sluice(dir, ["revision", "--autogenerate", "-m", "people", "--json"]);
      expect(rev.code, rev.stderr).toBe(0);
      expect(rev.json.notManaged).toEqual(["options (securityBarrier) of view public.named"]);
      expect(rev.json.drizzleKit).toMatch(/^0\.31\./);
      expect((await sluice(dir, ["upgrade", "--no-check"])).code).toBe(0);
      const diff = await sluice(dir, ["diff"]);
      expect(diff.code, diff.stderr).toBe(0);
      expect(diff.stdout).toContain("warning: not managed: options (securityBarrier) of view public.named");
      expect(diff.stdout).toContain("No drift");
    });
  });
}
