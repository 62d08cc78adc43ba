import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { targets, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";
import { redactText, redactUrl } from "../../src/db/url.js";

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "sluice.js");
const serverUrl = process.env.SLUICE_TEST_PG_URL;
const M001 = sqlMigration("001", null, "base", "CREATE TABLE base_t (id bigint PRIMARY KEY);", "DROP TABLE base_t;");

/** Every connection-string form Sluice may be handed, each with the password it must never show. */
const FORMS: { url: string; password: string }[] = [
  { url: "postgress://app:Tr1cky-pw@127.0.0.1:1/app", password: "Tr1cky-pw" },
  { url: "postgres://app:hash#pw-42@127.0.0.1:1/app", password: "hash#pw-42" },
  { url: "postgres://app:1#pw-digits@127.0.0.1:1/app", password: "1#pw-digits" },
  { url: "postgres://app:at@pw-77@127.0.0.1:1/app", password: "at@pw-77" },
  { url: "postgres://app:slash/pw-9@127.0.0.1:1/app", password: "slash/pw-9" },
  { url: "host=127.0.0.1 port=1 user=app password=kv-plain-pw dbname=app", password: "kv-plain-pw" },
  { url: "host=127.0.0.1 port=1 password='kv quoted \\' pw' dbname=app", password: "kv quoted" },
  { url: "postgres://app@127.0.0.1:1/app?password=query-pw&sslmode=disable", password: "query-pw" },
];

function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "DATABASE_URL") env[k] = v;
  return env;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("redaction hides the password field and nothing else", () => {
  it("hides the password of every form, parseable or not", () => {
    for (const { url, password } of FORMS) {
      expect(redactUrl(url), url).not.toContain(password);
      expect(redactText(`Cannot connect to ${url}: ECONNREFUSED`), url).not.toContain(password);
    }
    expect(redactUrl("postgres://app:at@pw-77@db.example:5432/app")).toBe("postgres://app:***@db.example:5432/app");
    expect(redactUrl("host=h password='a b' dbname=d")).toBe("host=h password=*** dbname=d");
  });

  it("keeps a password's text where it is not a password (password c, 'too many clients')", () => {
    expect(redactText("sorry, too many clients already (postgres://app:c@db/app)")).toBe("sorry, too many clients already (postgres://app:***@db/app)");
    expect(redactText("user app has password authentication on; host db:5432 is up")).toBe("user app has password authentication on; host db:5432 is up");
  });
});

describe("no password in stderr, --json or MCP results", () => {
  it("the CLI, for every form (--url, DATABASE_URL and the config)", async () => {
    const dir = makeProject(undefined, { "001_base.sql": M001 });
    for (const { url, password } of FORMS) {
      const configured = makeProject(url, { "001_base.sql": M001 });
      for (const [cwd, args, env] of [
        [dir, ["current", "--json", "--url", url], {}],
        [dir, ["upgrade", "--url", url], {}],
        [dir, ["history", "--json"], { DATABASE_URL: url }],
        [configured, ["current", "--json"], {}],
      ] as [string, string[], Record<string, string>][]) {
        const r = await sluice(cwd, args, env);
        expect(r.code, `${url}\n${r.stderr}`).toBeGreaterThanOrEqual(2);
        expect(r.stdout + r.stderr, url).not.toContain(password);
        expect(r.stderr, url).not.toMatch(/This is a bug in sluice|TypeError/);
      }
    }
    const withHash = await sluice(dir, ["current", "--url", "postgres://app:hash#pw-42@127.0.0.1:5432/app"]);
    expect(withHash.code).toBe(2);
    expect(withHash.stderr).toMatch(/holds a `#`.*%23/);
  });

  it("MCP tools, whose errors and results quote the URL", async () => {
    const dir = makeProject(undefined, { "001_base.sql": M001 });
    for (const { url, password } of FORMS.slice(0, 4)) {
      const client = new Client({ name: "sluice-test", version: "1.0.0" });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin, "mcp", "--url", url], cwd: dir, env: cleanEnv(), stderr: "pipe" }));
      try {
        const r = await client.callTool({ name: "status", arguments: {} });
        expect(r.isError, url).toBe(true);
        expect(JSON.stringify(r), url).not.toContain(password);
      } finally {
        await client.close();
      }
    }
  });
});

describe.runIf(serverUrl)("on the server, with a password the server accepts", () => {
  let tdb: TestDatabase;
  let withPassword: (pw: string) => string;
  beforeAll(async () => {
    tdb = await targets.find((t) => t.name === "postgres")!.create();
    withPassword = (pw) => {
      const u = new URL(tdb.url);
      u.password = pw;
      return u.toString();
    };
  });
  afterAll(async () => tdb?.drop());

  it("password c: the URL is hidden, 'clients' in a message is kept", async () => {
    const missing = new URL(withPassword("c"));
    missing.pathname = "/sluice_clients_missing";
    const refused = await sluice(makeProject(missing.toString(), { "001_base.sql": M001 }), ["current", "--json"]);
    expect(refused.code, refused.stderr).toBe(3);
    expect(refused.stderr).toContain('database "sluice_clients_missing" does not exist');
    expect(refused.json.message).toContain("sluice_clients_missing");
    expect(refused.stdout + refused.stderr).not.toContain("***lients");
    const url = withPassword("c");
    const dir = makeProject(url, { "001_base.sql": sqlMigration("001", null, "base", "SELECT * FROM clients_missing;", "SELECT 1;") });
    const r = await sluice(dir, ["upgrade", "--json"]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('relation "clients_missing" does not exist');
    expect(r.json.message).toContain("clients_missing");
    const status = await sluice(dir, ["current", "--json"]);
    expect(status.json.database).toMatch(/^postgres:\/\/postgres:\*\*\*@/);
  });

  it("a password with an unencoded @ connects, and is never shown", async () => {
    const url = withPassword("x").replace(":x@", ":at@pw-77@");
    const dir = makeProject(undefined, { "001_base.sql": M001 });
    const r = await sluice(dir, ["upgrade", "--json", "--url", url]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain("at@pw-77");
    expect(r.json.database).toContain(":***@");
  });
});

for (const t of targets) {
  describe(`caches on ${t.name} never hold a secret`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    it("no file under .sluice/ holds the password written in the config", async () => {
      const secret = "cache-secret-pw-5";
      // On PGlite the password is in `devUrl`; on the server in the database URL itself (trust auth accepts it).
      const database = t.name === "postgres" ? (() => { const u = new URL(tdb.url); u.password = secret; return u.toString(); })() : tdb.url;
      const devUrl = `postgres://app:${secret}@127.0.0.1:1/dev`;
      const dir = makeProject(undefined, { "001_base.sql": M001 });
      fs.writeFileSync(
        path.join(dir, "sluice.config.ts"),
        `import { defineConfig } from "sluice";\nexport default defineConfig({\n  database: ${JSON.stringify(database)},\n  devUrl: ${JSON.stringify(devUrl)},\n  migrations: "./migrations",\n});\n`,
      );
      for (const args of [["current"], ["check"], ["upgrade"], ["history"], ["show", "001"], ["upgrade", "--sql"], ["current", "--json"]]) {
        const r = await sluice(dir, args);
        expect(r.code, `${args.join(" ")}\n${r.stderr}`).toBe(0);
        expect(r.stdout + r.stderr).not.toContain(secret);
      }
      const files = filesUnder(path.join(dir, ".sluice")).filter((f) => !f.includes(`${path.sep}pglite${path.sep}`));
      expect(files.some((f) => f.includes(`${path.sep}cache${path.sep}`))).toBe(true);
      for (const f of files) expect(fs.readFileSync(f, "latin1"), f).not.toContain(secret);
    });
  });
}
