import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { targets, tempDir } from "../support/databases.js";
import { sluice, startSluice } from "../support/cli.js";
import { makeProject, sqlMigration, tsMigration, writeMigration } from "../support/project.js";
import { configJsonSchema, configSchema } from "../../src/config/schema.js";
import { RULES } from "../../src/checks/registry.js";

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const A = sqlMigration("001", null, "a", "CREATE TABLE a (id int PRIMARY KEY);", "DROP TABLE a;");

/** A project whose config body is `body` (the object literal given to defineConfig). */
function projectWithConfig(body: string, files: Record<string, string> = { "001_a.sql": A }): string {
  const dir = makeProject(undefined, files);
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig(${body} as any);\n`);
  return dir;
}

describe("config: unknown keys and wrong values are refused", () => {
  it.each([
    [`{ migratons: "./x" }`, /sluice\.config\.ts: unknown key `migratons`\. Did you mean `migrations`\?/],
    [`{ schema: { drizle: "./db.ts" } }`, /unknown key `schema\.drizle`\. Did you mean `schema\.drizzle`\?/],
    [`{ checks: { presets: "strict" } }`, /unknown key `checks\.presets`\. Did you mean `checks\.preset`\?/],
    [`{ checks: { rules: { "varchar-lenght": "off" } } }`, /unknown rule "varchar-lenght"\. Did you mean "varchar-length"\?/],
    [`{ checks: { rules: { "varchar-length": "of" } } }`, /`checks\.rules\.varchar-length` is "of"; it must be "error", "warning" or "off"/],
    [`{ schemas: "public" }`, /`schemas` is "public"; it must be a non-empty list of schema names/],
    [`{ schema: { drizzle: "./db.ts", casing: "snake" } }`, /`schema\.casing` is "snake"; it must be "snake_case" or "camelCase"/],
    [`{ maxMigrationFileMB: 0 }`, /`maxMigrationFileMB` is 0; it must be a positive number of megabytes/],
    [`{ devUrl: 5 }`, /`devUrl` is 5; it must be a database URL string/],
  ])("%s: exit 2 naming the file and the key", async (body, message) => {
    const r = await sluice(projectWithConfig(body), ["current"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("a key with no near name lists the known keys", async () => {
    const r = await sluice(projectWithConfig(`{ frobnicate: true }`), ["current"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key `frobnicate`\.\n/);
    expect(r.stderr).toMatch(/Known keys: database, migrations, schemas, schema, devUrl/);
  });

  it("every documented key together is accepted", async () => {
    const dir = projectWithConfig(
      `{ database: "pglite:memory", migrations: "./migrations", schemas: ["public"], schema: { sql: "./schema.sql", casing: "snake_case" },
         relations: "./relations.ts", apiSchemas: "./api.ts", checks: { preset: "strict", rules: { "varchar-length": "off", "char-type": "error" } },
         lockTimeout: "2s", lockTimeoutRetries: 0, statementTimeout: 60000, maxMigrationFileMB: 16 }`,
    );
    const r = await sluice(dir, ["history"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("001");
  });

  it("every key the schema knows is in docs/config.md", () => {
    const doc = fs.readFileSync(path.join(repo, "docs", "config.md"), "utf8");
    for (const key of Object.keys(configSchema.shape)) expect(doc, key).toContain(`\`${key}\``);
    for (const key of ["schema.drizzle", "schema.sql", "schema.casing", "checks.preset", "checks.rules"]) expect(doc, key).toContain(`\`${key}\``);
  });
});

for (const target of targets) {
  describe(`config typo on ${target.name}`, () => {
    it("a misspelled key refuses upgrade before the database is touched", async () => {
      const tdb = await target.create();
      try {
        const dir = projectWithConfig(`{ database: ${JSON.stringify(tdb.url)}, migrations: "./migrations", lockTimout: "1s" }`);
        const bad = await sluice(dir, ["upgrade", "head"]);
        expect(bad.code, bad.stderr).toBe(2);
        expect(bad.stderr).toMatch(/unknown key `lockTimout`\. Did you mean `lockTimeout`\?/);
        const db = await tdb.open();
        try {
          const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'a'");
          expect(rows[0].n).toBe(0);
        } finally {
          await db.close();
        }
        fs.writeFileSync(path.join(dir, "sluice.config.ts"), `export default { database: ${JSON.stringify(tdb.url)}, lockTimeout: "1s" };\n`);
        const good = await sluice(dir, ["upgrade", "head"]);
        expect(good.code, good.stderr).toBe(0);
      } finally {
        await tdb.drop();
      }
    });
  });
}

describe("config types and JSON Schema", () => {
  it("defineConfig refuses an unknown key at compile time", () => {
    const dir = tempDir("types");
    const file = path.join(dir, "sluice.config.ts");
    const config = path.join(repo, "src", "config", "config.js").replace(/\\/g, "/");
    fs.writeFileSync(file, `import { defineConfig } from ${JSON.stringify(config)};\nexport default defineConfig({ migratons: "./x" });\nexport const ok = defineConfig({ migrations: "./x", checks: { rules: { "char-type": "off" } } });\n`);
    const program = ts.createProgram([file], { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] });
    const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === file);
    expect(errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual([expect.stringMatching(/'migratons' does not exist in type 'SluiceConfig'/)]);
    expect(errors[0].file!.getLineAndCharacterOfPosition(errors[0].start!).line).toBe(1);
  }, 60_000);

  it("schema/sluice.config.schema.json is the zod schema's JSON Schema (written by the build)", () => {
    const file = JSON.parse(fs.readFileSync(path.join(repo, "schema", "sluice.config.schema.json"), "utf8"));
    expect(file).toEqual(configJsonSchema());
    expect(file.additionalProperties).toBe(false);
    expect(Object.keys(file.properties.checks.properties.rules.properties).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it("the package publishes the JSON Schema", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8"));
    expect(pkg.files).toContain("schema");
    expect(pkg.exports["./schema/sluice.config.schema.json"]).toBe("./schema/sluice.config.schema.json");
  });
});

describe("the package's public surface", () => {
  // Adding a name here is a decision to support it; internals stay out of the package's entry.
  const PUBLIC = [
    "ExitCode", "RULES", "SluiceError", "autogenerate", "baseline", "check", "clean", "compareSchemas", "compareWithModel", "compileModel", "current",
    "defineConfig", "defineMigration", "describe", "diff", "diffSchemas", "downgrade", "drizzleToDdl", "findRenameCandidates", "heads", "history",
    "importChain", "init", "introspect", "loadConfig", "loadDrizzleKit", "loadModel", "merge", "modelDrift", "opFacts", "openDatabase", "parseDatabaseUrl", "rebase",
    "parseRenames", "recordOps", "redactUrl", "renderChanges", "renderOp", "renderOpCall", "renderReport", "report", "reverseOp", "reverseOps",
    "revision", "ship", "showMigration", "stamp", "upgrade", "verify",
  ];

  it("the built entry exports exactly the public names", async () => {
    const mod = await import(pathToFileURL(path.join(repo, "dist", "index.js")).href);
    expect(Object.keys(mod).sort()).toEqual([...PUBLIC].sort());
    for (const internal of ["slugify", "migrationTemplate", "openProject", "closestNames"]) expect(mod).not.toHaveProperty(internal);
  });
});

describe("command-line manners", () => {
  it("sluice with no arguments prints the help on stderr and exits 2", async () => {
    const r = await sluice(tempDir("noargs"), []);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Usage: sluice/);
    expect(r.stderr).toMatch(/upgrade/);
  });

  it.each(["init", "current", "upgrade", "check", "diff", "report"])("sluice %s --help shows the global options", async (command) => {
    const r = await sluice(tempDir("help"), [command, "--help"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Global Options:/);
    for (const option of ["--url <url>", "--json", "--config <file>"]) expect(r.stdout).toContain(option);
  });

  it("init writes a commented schema line, and the config it writes loads", async () => {
    const dir = tempDir("init");
    expect((await sluice(dir, ["init"])).code).toBe(0);
    const text = fs.readFileSync(path.join(dir, "sluice.config.ts"), "utf8");
    expect(text).toMatch(/^ {2}\/\/ schema: \{ drizzle: "\.\/src\/db\/schema\.ts" \}/m);
    const r = await sluice(dir, ["history"]);
    expect(r.code, r.stderr).toBe(0);
  });
});

for (const target of targets) {
  describe(`command-line manners on ${target.name}`, () => {
    it("status is current", async () => {
      const tdb = await target.create();
      try {
        const dir = makeProject(tdb.url, { "001_a.sql": A });
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        const status = await sluice(dir, ["status", "--json"]);
        expect(status.code, status.stderr).toBe(0);
        expect(status.json).toEqual((await sluice(dir, ["current", "--json"])).json);
        expect(status.json.current).toEqual(["001"]);
      } finally {
        await tdb.drop();
      }
    });

    it("a closed stdout (| head -0) ends no run with a stack trace: the upgrade is applied, the exit code is 0", async () => {
      const tdb = await target.create();
      try {
        const dir = makeProject(tdb.url, { "001_a.sql": A });
        const run = startSluice(dir, ["upgrade"]);
        run.child.stdout!.destroy();
        const r = await run.done;
        expect(r.stderr).not.toMatch(/EPIPE|Error|\n\s+at \S+:\d+/);
        expect(r.code).toBe(0);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual(["001"]);
      } finally {
        await tdb.drop();
      }
    });

    it("a misspelled op option is refused naming the file, the line, the op and the key; nothing is applied", async () => {
      const tdb = await target.create();
      try {
        const dir = makeProject(tdb.url, { "001_a.sql": A });
        writeMigration(dir, "002_b.ts", tsMigration("002", "001", "b", '    op.addColumn("a", { name: "b", typ: "text" });', '    op.dropColumn("a", "b");'));
        const r = await sluice(dir, ["upgrade"]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/002_b\.ts:\d+: addColumn: column/);
        expect(r.stderr).toMatch(/"typ"|column\.type is missing/);
        expect(r.stderr).not.toMatch(/This is a bug in sluice|TypeError/);
        expect((await sluice(dir, ["current", "--json"])).json.current).toEqual([]);
      } finally {
        await tdb.drop();
      }
    });
  });
}
