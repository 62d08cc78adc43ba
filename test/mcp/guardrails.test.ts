import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { targets, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject, sqlMigration } from "../support/project.js";
import { call, connect } from "../support/mcp.js";
import type { Db } from "../../src/db/types.js";

const M001 = sqlMigration(
  "001", null, "create legacy",
  "CREATE TABLE legacy (id bigint PRIMARY KEY, note text);",
  "DROP TABLE legacy;",
);

/** What an agent writes: a DROP TABLE and, above it, its own acknowledgement. */
const DROP_LEGACY = sqlMigration(
  "002", "001", "drop legacy",
  "-- sluice:allow destructive-change legacy is no longer read\nDROP TABLE legacy;",
  "CREATE TABLE legacy (id bigint PRIMARY KEY, note text);",
);

async function rows(tdb: TestDatabase): Promise<number | null> {
  const db: Db = await tdb.open();
  try {
    const exists = await db.query<{ t: string | null }>("SELECT to_regclass('legacy')::text AS t");
    if (exists.rows[0].t === null) return null;
    return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM legacy")).rows[0].n;
  } finally {
    await db.close();
  }
}

/** A project at 001 with ten rows in legacy, and 002 written by the agent through generate_migration. */
async function agentProject(tdb: TestDatabase, flags: string[], beforeConnect?: (dir: string) => void): Promise<{ dir: string; client: Client; file: string }> {
  const dir = makeProject(tdb.url, { "001_create_legacy.sql": M001 });
  expect((await sluice(dir, ["upgrade"])).code).toBe(0);
  const db = await tdb.open();
  try {
    await db.exec("INSERT INTO legacy SELECT g, 'row ' || g FROM generate_series(1, 10) AS g");
  } finally {
    await db.close();
  }
  const file = path.join(dir, "migrations", "002_drop_legacy.sql");
  fs.writeFileSync(file, DROP_LEGACY);
  beforeConnect?.(dir);
  const client = await connect(dir, flags);
  return { dir, client, file };
}

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=Dev", "-c", "user.email=dev@example.com", ...args], { cwd: dir, stdio: "pipe" });

for (const t of targets) {
  describe(`acknowledgements through sluice mcp on ${t.name}`, () => {
    it("an agent's own acknowledgement of a DROP TABLE is refused until a human approves the file with sluice check --approve", { timeout: 300_000 }, async () => {
      const tdb = await t.create();
      try {
        const { dir, client, file } = await agentProject(tdb, ["--allow-apply"]);
        try {
          const refused = await call(client, "upgrade");
          expect(refused.isError).toBe(true);
          expect(refused.structuredContent).toMatchObject({ error: "not-approved", unapproved: [{ rule: "destructive-change", revision: "002", reason: "legacy is no longer read" }] });
          expect(refused.content[0].text).toMatch(/migrations\/002_drop_legacy\.sql acknowledges findings that no human approved; nothing was applied/);
          expect(refused.content[0].text).toContain("sluice check --approve 002");
          expect(await rows(tdb)).toBe(10);

          // The agent cannot approve: check takes no such argument, and generate_migration writes only into migrations/.
          const sneaky = await call(client, "check", { revisions: ["002"], approve: true });
          expect(sneaky.structuredContent?.approved).toBeUndefined();
          const gen = await call(client, "generate_migration", { message: "../.sluice/approvals.json", sql: true });
          expect(path.dirname(gen.structuredContent.path)).toBe(path.join(dir, "migrations"));
          fs.rmSync(gen.structuredContent.path);
          expect(fs.existsSync(path.join(dir, ".sluice", "approvals.json"))).toBe(false);
          expect((await call(client, "upgrade")).structuredContent.error).toBe("not-approved");
          expect(await rows(tdb)).toBe(10);

          // The human reads it and approves it from the command line.
          const approved = await sluice(dir, ["check", "--approve", "002", "--json"]);
          expect(approved.code, approved.stderr).toBe(0);
          expect(approved.json.approved).toEqual([expect.objectContaining({ revision: "002", file: "migrations/002_drop_legacy.sql" })]);
          expect(approved.json.suppressed).toEqual([expect.objectContaining({ rule: "destructive-change", revision: "002" })]);

          // A change after the approval is not approved.
          fs.writeFileSync(file, DROP_LEGACY.replace("DROP TABLE legacy;", "DROP TABLE legacy;\nSELECT 1;"));
          expect((await call(client, "upgrade")).structuredContent.error).toBe("not-approved");
          expect(await rows(tdb)).toBe(10);

          fs.writeFileSync(file, DROP_LEGACY);
          const applied = await call(client, "upgrade");
          expect(applied.isError, applied.content[0]?.text).toBeFalsy();
          expect(applied.structuredContent.to).toEqual(["002"]);
          expect(await rows(tdb)).toBeNull();
        } finally {
          await client.close();
        }
      } finally {
        await tdb.drop();
      }
    });

    it("a file committed in git as it is counts as the human's; an uncommitted edit of it does not", { timeout: 300_000 }, async () => {
      const tdb = await t.create();
      try {
        const { client, file } = await agentProject(tdb, ["--allow-apply"], (dir) => {
          git(dir, "init", "-q");
          git(dir, "add", "sluice.config.ts", "migrations");
          git(dir, "commit", "-qm", "drop legacy");
        });
        try {
          fs.appendFileSync(file, "\n");
          expect((await call(client, "upgrade")).structuredContent.error).toBe("not-approved");
          expect(await rows(tdb)).toBe(10);
          fs.writeFileSync(file, DROP_LEGACY);
          const applied = await call(client, "upgrade");
          expect(applied.isError, applied.content[0]?.text).toBeFalsy();
          expect(await rows(tdb)).toBeNull();
        } finally {
          await client.close();
        }
      } finally {
        await tdb.drop();
      }
    });

    it("a rule the agent turned off in an uncommitted config still stops its DROP TABLE; committed, the setting holds", { timeout: 300_000 }, async () => {
      const tdb = await t.create();
      try {
        const { dir, client, file } = await agentProject(tdb, ["--allow-apply"], (d) => {
          const config = path.join(d, "sluice.config.ts");
          fs.writeFileSync(config, fs.readFileSync(config, "utf8").replace("migrations:", 'checks: { rules: { "destructive-change": "off" } },\n  migrations:'));
        });
        fs.writeFileSync(file, DROP_LEGACY.replace("-- sluice:allow destructive-change legacy is no longer read\n", ""));
        try {
          const refused = await call(client, "upgrade");
          expect(refused.structuredContent?.error, refused.content[0]?.text).toBe("check-failed");
          expect(refused.content[0].text).toContain("sluice.config.ts turns down destructive-change, but it is not committed in git as it is");
          expect(await rows(tdb)).toBe(10);
          git(dir, "init", "-q");
          git(dir, "add", "sluice.config.ts");
          git(dir, "commit", "-qm", "turn destructive-change off");
          const applied = await call(client, "upgrade");
          expect(applied.isError, applied.content[0]?.text).toBeFalsy();
          expect(await rows(tdb)).toBeNull();
        } finally {
          await client.close();
        }
      } finally {
        await tdb.drop();
      }
    });

    it("--allow-destructive at server start lets the agent's own acknowledgement count", async () => {
      const tdb = await t.create();
      try {
        const { client } = await agentProject(tdb, ["--allow-apply", "--allow-destructive"]);
        try {
          const applied = await call(client, "upgrade");
          expect(applied.isError, applied.content[0]?.text).toBeFalsy();
          expect(await rows(tdb)).toBeNull();
        } finally {
          await client.close();
        }
      } finally {
        await tdb.drop();
      }
    });

    it("the downgrade tool never drops data on the agent's say-so: only with --allow-data-loss at server start", async () => {
      const tdb = await t.create();
      try {
        const dir = makeProject(tdb.url, { "001_create_legacy.sql": M001 });
        expect((await sluice(dir, ["upgrade"])).code).toBe(0);
        const db = await tdb.open();
        try {
          await db.exec("INSERT INTO legacy VALUES (1, 'one')");
        } finally {
          await db.close();
        }
        const client = await connect(dir, ["--allow-downgrade"]);
        try {
          const refused = await call(client, "downgrade", { target: "base", yes: true, allowDataLoss: true });
          expect(refused.isError).toBe(true);
          expect(refused.structuredContent).toMatchObject({ error: "data-loss", losses: [{ table: "legacy", loses: "rows" }] });
          expect(refused.content[0].text).toMatch(/Data loss needs the human/);
          expect(refused.content[0].text).toContain("sluice downgrade base --yes");
        } finally {
          await client.close();
        }
        expect(await rows(tdb)).toBe(1);
        const allowed = await connect(dir, ["--allow-downgrade", "--allow-data-loss"]);
        try {
          const down = await call(allowed, "downgrade", { target: "base" });
          expect(down.isError, down.content[0]?.text).toBeFalsy();
          expect(await rows(tdb)).toBeNull();
        } finally {
          await allowed.close();
        }
      } finally {
        await tdb.drop();
      }
    });
  });
}
