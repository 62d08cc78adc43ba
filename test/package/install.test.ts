import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { targets, tempDir } from "../support/databases.js";

/*
 * Sluice as users receive it: the repository's committed HEAD cloned, installed
 * from the lockfile and packed (so the build must run in the package
 * lifecycle), the tarball installed into fresh projects outside the repository.
 * One clone, one pack and one install serve the whole file.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const locked = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> }).packages;
const lockedVersion = (name: string) => locked[`node_modules/${name}`].version;
/** Differs from any version written in the source, so a hard-coded or borrowed version shows. */
const version = `${locked[""].version}-packed`;
const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a user's shell: without what `npm test` adds about this
 * repository (npm_package_version, the local prefix …); npm's own settings stay.
 */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || ["DATABASE_URL", "INIT_CWD"].includes(k) || /^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(k)) continue;
    env[k] = v;
  }
  return env;
}

function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: userEnv() });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function mustRun(command: string, args: string[], cwd: string): Promise<Run> {
  const r = await run(command, args, cwd);
  if (r.code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${r.code} in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** `npx sluice …`; `--no` so that a missing local install fails instead of fetching another package. */
const npxSluice = (cwd: string, args: string[]) => run("npx", ["--no", "--", "sluice", ...args], cwd);

const json = (r: Run) => JSON.parse(r.stdout);

let work: string;
let packed: { files: { path: string }[] };
/** A project with the tarball, drizzle-orm and drizzle-kit installed. */
let app: string;
/** A project with the tarball alone. */
let typesOnly: string;

beforeAll(async () => {
  work = tempDir("package");
  const repo = path.join(work, "repo");
  await mustRun("git", ["clone", "--quiet", repoRoot, repo], work);
  // Scripts are left to `npm pack`, which must build on its own.
  await mustRun("npm", ["ci", "--ignore-scripts", ...npmFlags], repo);
  await mustRun("npm", ["pkg", "set", `version=${version}`], repo);
  const pack = await mustRun("npm", ["pack", "--json", "--pack-destination", work, ...npmFlags], repo);
  [packed] = JSON.parse(pack.stdout);
  const tarball = path.join(work, `sluice-${version}.tgz`);

  app = path.join(work, "app");
  typesOnly = path.join(work, "types");
  for (const [dir, name] of [[app, "app"], [typesOnly, "types"]]) {
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", private: true, type: "module" }));
  }
  await Promise.all([
    mustRun("npm", ["install", ...npmFlags, tarball, `drizzle-orm@${lockedVersion("drizzle-orm")}`, `drizzle-kit@${lockedVersion("drizzle-kit")}`], app),
    mustRun("npm", ["install", ...npmFlags, tarball], typesOnly),
  ]);
}, 900_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("holds the build, bin, docs and the config's JSON Schema, and nothing of the repository's own work: no sources, tests, benchmarks, state or caches", () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ["package.json", "README.md", "bin/sluice.js", "dist/index.js", "dist/index.d.ts", "dist/define/index.js", "dist/define/index.d.ts", "dist/cli/main.js", "docs/cli.md", "schema/sluice.config.schema.json"]) expect(files).toContain(f);
    const stray = files.filter((f) => !/^(dist|bin|docs|schema)\//.test(f) && !["package.json", "README.md"].includes(f));
    expect(stray).toEqual([]);
    expect(files.filter((f) => /(^|\/)(\.sluice|\.test-work|node_modules|test|bench)\//.test(f) || f.endsWith(".tsbuildinfo") || f.endsWith(".tgz"))).toEqual([]);
  });

  it("npx sluice --version and the MCP server report Sluice's own version, not the project's", async () => {
    const r = await npxSluice(app, ["--version"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(version);
    expect(JSON.parse(fs.readFileSync(path.join(app, "node_modules", "sluice", "package.json"), "utf8")).version).toBe(version);

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(app, "node_modules", "sluice", "bin", "sluice.js"), "mcp"],
      cwd: app,
      env: userEnv() as Record<string, string>,
      stderr: "pipe",
    });
    const client = new Client({ name: "sluice-test", version: "1.0.0" });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: "sluice", version });
    } finally {
      await client.close();
    }
  });

  it("its type declarations compile (strict, skipLibCheck false) in a project without drizzle-orm", async () => {
    expect(fs.existsSync(path.join(typesOnly, "node_modules", "drizzle-orm"))).toBe(false);
    fs.writeFileSync(
      path.join(typesOnly, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, noEmit: true, types: [] },
        files: ["check.ts"],
      }),
    );
    fs.writeFileSync(
      path.join(typesOnly, "check.ts"),
      `import { defineConfig, defineMigration, upgrade, current, drizzleToDdl, type CurrentResult, type MigrateResult, type Schema } from "sluice";
import { defineConfig as declareConfig, type OpBuilder, type SluiceConfig } from "sluice/define";

export default defineConfig({ database: "pglite:./db", migrations: "./migrations", schema: { drizzle: "./schema.ts" } });

export const first = defineMigration({
  revision: "001",
  downRevision: null,
  message: "create widgets",
  upgrade(op) {
    op.execute("CREATE TABLE widgets (id bigint PRIMARY KEY)");
  },
  downgrade(op) {
    op.execute("DROP TABLE widgets");
  },
});

export async function migrate(): Promise<[MigrateResult, CurrentResult]> {
  return [await upgrade({ cwd: "." }), await current({ cwd: "." })];
}

export const declared: SluiceConfig = declareConfig({ migrations: "./migrations" });
export const steps = (op: OpBuilder): void => op.execute("SELECT 1");

export const tables = (schema: Schema): string[] => schema.tables.map((t) => t.name);
export const ddl: typeof drizzleToDdl = drizzleToDdl;

// @ts-expect-error the declarations are real types, not any: current() takes options, not a number
void current(42);
`,
    );
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const r = await run(process.execPath, [tsc, "-p", path.join(typesOnly, "tsconfig.json")], typesOnly);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("a copy without dist/ says what to do in one line without a stack trace (exit 2): build a checkout, reinstall a package", async () => {
    for (const [name, files, advice] of [
      ["checkout", ["src"], /^error: this checkout of Sluice is not built .*run `npm run build` there$/],
      ["installed", [], /^error: this copy of Sluice was packed without its build .*install it again without --ignore-scripts$/],
    ] as const) {
      const copy = path.join(work, `unbuilt-${name}`);
      for (const d of ["bin", ...files]) fs.mkdirSync(path.join(copy, d), { recursive: true });
      fs.copyFileSync(path.join(work, "repo", "bin", "sluice.js"), path.join(copy, "bin", "sluice.js"));
      const r = await run(process.execPath, [path.join(copy, "bin", "sluice.js"), "current"], copy);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(advice);
    }
  });
});

for (const t of targets) {
  describe(`the installed package on ${t.name}`, () => {
    it("init, revision --sql, upgrade, current, a Drizzle autogenerate, and upgrade/current imported from the library", async () => {
      const tdb = await t.create();
      const dir = path.join(app, t.name);
      fs.mkdirSync(dir);
      try {
        const init = await npxSluice(dir, ["init", "--database", tdb.url]);
        expect(init.code, init.stderr).toBe(0);
        const configFile = path.join(dir, "sluice.config.ts");
        const config = fs.readFileSync(configFile, "utf8");
        expect(config).toContain(`from "sluice"`);
        fs.writeFileSync(configFile, config.replace(`  migrations: "./migrations",\n`, `  migrations: "./migrations",\n  schema: { drizzle: "./schema.ts" },\n`));
        expect(fs.readFileSync(configFile, "utf8")).toContain(`schema: { drizzle: "./schema.ts" }`);

        const rev = await npxSluice(dir, ["revision", "--sql", "-m", "create widgets", "--json"]);
        expect(rev.code, rev.stderr).toBe(0);
        expect(json(rev)).toMatchObject({ file: "migrations/001_create_widgets.sql", revision: "001", downRevision: null });
        const sqlFile = path.join(dir, "migrations", "001_create_widgets.sql");
        const template = fs.readFileSync(sqlFile, "utf8");
        expect(template).toContain("-- sluice:upgrade\n");
        fs.writeFileSync(
          sqlFile,
          template
            .replace("-- sluice:upgrade\n", "-- sluice:upgrade\nCREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL);\n")
            .replace("-- sluice:downgrade\n", "-- sluice:downgrade\nDROP TABLE widgets;\n"),
        );

        const up = await npxSluice(dir, ["upgrade", "--json"]);
        expect(up.code, up.stderr).toBe(0);
        expect(json(up)).toMatchObject({ from: [], to: ["001"] });
        const now = await npxSluice(dir, ["current", "--json"]);
        expect(now.code, now.stderr).toBe(0);
        expect(json(now)).toMatchObject({ current: ["001"], head: "001", pending: [] });

        // The model repeats the applied table and adds one: only the new table is generated.
        fs.writeFileSync(
          path.join(dir, "schema.ts"),
          `import { pgTable, bigint, text } from "drizzle-orm/pg-core";

export const widgets = pgTable("widgets", { id: bigint("id", { mode: "number" }).primaryKey(), name: text("name").notNull() });
export const gadgets = pgTable("gadgets", {
  id: bigint("id", { mode: "number" }).primaryKey(),
  widgetId: bigint("widget_id", { mode: "number" }).notNull().references(() => widgets.id),
});
`,
        );
        const auto = await npxSluice(dir, ["revision", "--autogenerate", "-m", "gadgets", "--json"]);
        expect(auto.code, auto.stderr).toBe(0);
        expect(json(auto).written).toMatchObject({ file: "migrations/002_gadgets.ts", revision: "002", downRevision: "001" });
        expect(json(auto).changes.map((c: { summary: string }) => c.summary)).toEqual([
          "create table gadgets",
          "add foreign key gadgets_widget_id_widgets_id_fk on gadgets → widgets(id)",
        ]);

        fs.writeFileSync(
          path.join(dir, "migrate.mjs"),
          `import { upgrade, current } from "sluice";
import * as declarations from "sluice/define";

const up = await upgrade();
const now = await current();
console.log(JSON.stringify({ applied: up.steps.map((s) => s.revision), current: now.current, pending: now.pending, declarations: Object.keys(declarations) }));
`,
        );
        const script = await run(process.execPath, ["migrate.mjs"], dir);
        expect(script.code, script.stderr).toBe(0);
        expect(JSON.parse(script.stdout)).toEqual({ applied: ["002"], current: ["002"], pending: [], declarations: ["defineConfig", "defineMigration"] });

        const diff = await npxSluice(dir, ["diff", "--json"]);
        expect(diff.code, diff.stderr).toBe(0);
        expect(json(diff).differences).toEqual([]);
      } finally {
        await tdb.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 300_000);
  });
}
