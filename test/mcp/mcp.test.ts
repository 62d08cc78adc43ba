import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import { targets, type TestDatabase } from "../support/databases.js";
import { makeProject, sqlMigration } from "../support/project.js";
import { bin, call, connect } from "../support/mcp.js";

const M001 = sqlMigration("001", null, "create products", "CREATE TABLE products (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);", "DROP TABLE products;");

for (const t of targets) {
  describe(`sluice mcp on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());

    it("lists typed tools, and the database-changing ones refuse unless the human allowed them", async () => {
      const dir = makeProject(tdb.url, { "001_create_products.sql": M001 });
      const client = await connect(dir);
      try {
        const { tools } = await client.listTools();
        const names = tools.map((x) => x.name);
        for (const n of ["status", "history", "describe_table", "check", "verify", "report", "show_migration", "generate_migration", "upgrade", "downgrade"]) expect(names).toContain(n);
        expect(names).not.toContain("execute_sql");
        const status = await call(client, "status");
        expect(status.structuredContent).toMatchObject({ current: [], head: "001", next: "002", pending: ["001"] });

        const up = await call(client, "upgrade");
        expect(up.isError).toBe(true);
        expect(up.content[0].text).toMatch(/started without --allow-apply/);
        expect(up.content[0].text).toMatch(/sluice mcp --allow-apply/);
        const down = await call(client, "downgrade", { target: "base" });
        expect(down.isError).toBe(true);
        expect(down.content[0].text).toMatch(/--allow-downgrade/);
        expect((await call(client, "status")).structuredContent.current).toEqual([]);

        const bad = await call(client, "show_migration", { revision: 42 });
        expect(bad.isError).toBe(true);
        expect(bad.content[0].text).toMatch(/revision/i);
        const unknown = await call(client, "show_migration", { revision: "999" });
        expect(unknown.isError).toBe(true);
        expect(unknown.content[0].text).toMatch(/No migration has revision 999/);
        // Still serving after both errors.
        expect((await call(client, "status")).isError).toBeFalsy();
      } finally {
        await client.close();
      }
    });

    it("generate, read, apply and roll back through tools only when allowed", async () => {
      const dir = makeProject(tdb.url, { "001_create_products.sql": M001 });
      const client = await connect(dir, ["--allow-apply", "--allow-downgrade"]);
      try {
        const gen = await call(client, "generate_migration", { message: "add pim id" });
        expect(gen.isError, gen.content[0]?.text).toBeFalsy();
        expect(gen.structuredContent).toMatchObject({ revision: "002", downRevision: "001" });
        expect(gen.structuredContent.text).toContain('message: "add pim id"');
        fs.writeFileSync(
          gen.structuredContent.path,
          gen.structuredContent.text
            .replace("upgrade(op) {\n", 'upgrade(op) {\n    op.addColumn("products", { name: "pim_id", type: "text", nullable: true });\n')
            .replace("downgrade(op) {\n", 'downgrade(op) {\n    op.dropColumn("products", "pim_id");\n'),
        );
        const show = await call(client, "show_migration", { revision: "002" });
        expect(show.structuredContent.upgradeSql).toEqual(["ALTER TABLE products ADD COLUMN pim_id text"]);
        expect(show.structuredContent.downgradeSql).toEqual(["ALTER TABLE products DROP COLUMN pim_id"]);
        const checked = await call(client, "check", {});
        expect(checked.isError, checked.content[0]?.text).toBeFalsy();
        expect(checked.structuredContent.checked).toEqual(["001", "002"]);
        expect(checked.structuredContent.findings.filter((f: { severity: string }) => f.severity === "error")).toEqual([]);
        const verified = await call(client, "verify", {});
        expect(verified.structuredContent).toMatchObject({ ok: true });
        expect(verified.structuredContent.revisions.map((p: { revision: string }) => p.revision)).toEqual(["001", "002"]);
        const up = await call(client, "upgrade", {});
        expect(up.isError, up.content[0]?.text).toBeFalsy();
        expect(up.structuredContent.to).toEqual(["002"]);
        expect(up.structuredContent.report).toMatchObject({ revision: "002", verify: { ok: true } });
        const rep = await call(client, "report", {});
        expect(rep.content[0].text).toContain("## Migration 002: add pim id");
        const desc = await call(client, "describe_table", { table: "products" });
        expect(desc.isError, desc.content[0]?.text).toBeFalsy();
        expect(desc.content[0].text).toContain("pim_id");
        const down = await call(client, "downgrade", { target: "base" });
        expect(down.structuredContent.to).toEqual([]);
        const res = await client.listResources();
        expect(res.resources.map((r) => r.uri)).toContain("sluice://migrations/002_add_pim_id.ts");
        const read = await client.readResource({ uri: "sluice://migrations/001_create_products.sql" });
        expect((read.contents[0] as { text: string }).text).toContain("CREATE TABLE products");
      } finally {
        await client.close();
      }
    });
  });
}

describe("sluice mcp on malformed input", () => {
  it("invalid JSON on stdin does not kill the server", async () => {
    const dir = makeProject("pglite:memory", { "001_create_products.sql": M001 });
    const child = spawn(process.execPath, [bin, "mcp"], { cwd: dir, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const send = (s: string) => child.stdin.write(`${s}\n`);
    send("{this is not json");
    send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }));
    send("]]]");
    send(JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list", params: {} }));
    const deadline = Date.now() + 20_000;
    while (!out.includes('"id":2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill();
    expect(out).toContain('"id":1');
    expect(out).toContain('"id":2');
    expect(out).toContain('"name":"status"');
  });
});
