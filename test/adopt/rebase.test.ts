import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targets, type TestDatabase } from "../support/databases.js";
import { makeProject, sqlMigration, tsMigration } from "../support/project.js";
import { sluice } from "../support/cli.js";
import { current, rebase, upgrade } from "../../src/index.js";

const table = (rev: string, down: string, name: string) => sqlMigration(rev, down, name, `CREATE TABLE ${name} (id int PRIMARY KEY);`, `DROP TABLE ${name};`);

for (const t of targets) {
  describe(`rebase on ${t.name}`, () => {
    let tdb: TestDatabase;
    let dir: string;
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
    const migrations = () => fs.readdirSync(path.join(dir, "migrations")).filter((f) => /^\d/.test(f)).sort();
    const commit = (message: string) => {
      git("add", "-A");
      git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", message);
    };
    beforeAll(async () => {
      tdb = await t.create();
      dir = makeProject(tdb.url, { "001_a.sql": table("001", "none", "a"), "002_b.sql": table("002", "001", "b") });
      git("init", "-q", "-b", "main");
      commit("two migrations");
    });
    afterAll(async () => tdb?.drop());

    it("two branches each adding 003: current and check name the collision, rebase renumbers the unpublished one after the other head, and upgrade applies both", async () => {
      await upgrade({ cwd: dir, target: "head" });
      git("checkout", "-q", "-b", "feature");
      fs.writeFileSync(path.join(dir, "migrations", "003_feature.ts"), tsMigration("003", "002", "feature", `    op.createTable("feature", [{ name: "id", type: "integer", primaryKey: true }]);`, `    op.dropTable("feature");`));
      commit("feature adds 003");
      git("checkout", "-q", "main");
      fs.writeFileSync(path.join(dir, "migrations", "003_main.sql"), table("003", "002", "main_table"));
      commit("main adds 003");
      git("tag", "published");
      git("-c", "user.name=t", "-c", "user.email=t@example.com", "merge", "-q", "--no-edit", "feature");

      const cur = await sluice(dir, ["current"]);
      expect(cur.code).toBe(2);
      expect(cur.stderr).toMatch(/Revision 003 is declared by more than one file[\s\S]*sluice rebase/);
      const chk = await sluice(dir, ["check", "--all"]);
      expect(chk.code).toBe(2);
      expect(chk.stderr + chk.stdout).toMatch(/sluice rebase/);

      // Neither 003 is applied or named as published: which keeps its number is not guessed.
      await expect(rebase({ cwd: dir })).rejects.toThrow(/Revision 003 is declared by several files[\s\S]*/);
      fs.appendFileSync(path.join(dir, "sluice.config.ts"), "// edited\n");
      const dirty = await sluice(dir, ["rebase", "--base", "published"]);
      expect(dirty.code).toBe(2);
      expect(dirty.stderr).toMatch(/uncommitted changes[\s\S]*sluice\.config\.ts/);
      git("checkout", "--", "sluice.config.ts");

      const plan = await rebase({ cwd: dir, base: "published", dryRun: true });
      expect(plan.moves).toEqual([{ file: "migrations/003_feature.ts", newFile: "migrations/004_feature.ts", revision: "003", newRevision: "004", downRevision: "003" }]);
      expect(migrations()).toEqual(["001_a.sql", "002_b.sql", "003_feature.ts", "003_main.sql"]);

      const done = await sluice(dir, ["rebase", "--base", "published", "--json"]);
      expect(done.code, done.stderr).toBe(0);
      expect(done.json.git).toBe(true);
      expect(migrations()).toEqual(["001_a.sql", "002_b.sql", "003_main.sql", "004_feature.ts"]);
      expect(git("status", "--porcelain")).toMatch(/^R {2}migrations\/003_feature\.ts -> migrations\/004_feature\.ts/m);
      const text = fs.readFileSync(path.join(dir, "migrations", "004_feature.ts"), "utf8");
      expect(text).toContain(`revision: "004"`);
      expect(text).toContain(`downRevision: "003"`);
      commit("rebase");

      const up = await upgrade({ cwd: dir, target: "head" });
      expect(up.steps.map((s) => s.revision)).toEqual(["003", "004"]);
      expect((await current({ cwd: dir })).current).toEqual(["004"]);
      expect((await sluice(dir, ["check", "--all"])).code).toBe(0);
      expect((await rebase({ cwd: dir })).moves).toEqual([]);
    }, 180_000);

    it("a migration the database applied keeps its number; the other one moves after it", async () => {
      git("checkout", "-q", "-b", "feature2");
      fs.writeFileSync(path.join(dir, "migrations", "005_mine.sql"), table("005", "004", "mine"));
      commit("feature2 adds 005");
      await upgrade({ cwd: dir, target: "head" });
      git("checkout", "-q", "main");
      fs.writeFileSync(path.join(dir, "migrations", "005_theirs.sql"), table("005", "004", "theirs"));
      commit("main adds 005");
      git("-c", "user.name=t", "-c", "user.email=t@example.com", "merge", "-q", "--no-edit", "feature2");

      const r = await rebase({ cwd: dir });
      expect(r.moves.map((m) => [m.file, m.newFile])).toEqual([["migrations/005_theirs.sql", "migrations/006_theirs.sql"]]);
      expect(fs.readFileSync(path.join(dir, "migrations", "006_theirs.sql"), "utf8")).toMatch(/^-- sluice:revision 006\n-- sluice:down-revision 005$/m);
      const up = await upgrade({ cwd: dir, target: "head" });
      expect(up.steps.map((s) => s.revision)).toEqual(["006"]);
    }, 180_000);
  });
}
