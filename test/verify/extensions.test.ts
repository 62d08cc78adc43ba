import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { repoTempDir, targets, type TestDatabase } from "../support/databases.js";
import { sqlMigration, writeMigration } from "../support/project.js";
import { autogenerate } from "../../src/commands/autogenerate.js";
import { upgrade } from "../../src/commands/migrate.js";
import { diff } from "../../src/commands/diff.js";
import { verify } from "../../src/commands/verify.js";
import { renderVerify } from "../../src/verify/render.js";
import { openPg } from "../../src/db/pg.js";
import type { Db } from "../../src/db/types.js";

/**
 * A model that creates what the scratch it compiles on must not have already:
 * extensions (one with a version), a role a policy names, a function, a type.
 * The role is the platform's (roles belong to the whole server): the model
 * only borrows it on the scratch, and it is named as not managed.
 */
const ROLE = "sluice_ext_reader";
const MODEL = `
CREATE EXTENSION hstore VERSION '1.4';
CREATE ROLE ${ROLE};
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT upper(t) $$;
CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL, attrs hstore, feeling mood);
CREATE INDEX notes_body_trgm ON notes USING gin (body gin_trgm_ops);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT TO ${ROLE} USING (true);
`;

/** Runs `fn` on the test database (or, once it is dropped, on its server's postgres database). */
async function withDb(tdb: TestDatabase, fn: (db: Db) => Promise<unknown>, server = false): Promise<void> {
  const db = server ? await openPg(tdb.url.replace(/\/[^/]*$/, "/postgres")) : await tdb.open();
  try {
    await fn(db);
  } finally {
    await db.close();
  }
}

/** The major version of a server test database; PGlite's own for an embedded one. */
async function withDbValue(tdb: TestDatabase, name: string): Promise<number> {
  if (name === "pglite") return 18;
  let v = 0;
  await withDb(tdb, async (db) => (v = await db.serverVersion()));
  return v;
}

function project(url: string, files: Record<string, string> = {}): string {
  const dir = repoTempDir("extensions");
  const schema = files["schema.sql"] ? `, schema: { sql: "./schema.sql" }` : "";
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)}${schema} });\n`);
  fs.mkdirSync(path.join(dir, "migrations"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

for (const t of targets) {
  describe(`extensions on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => {
      await tdb?.drop();
      if (t.name !== "pglite") await withDb(tdb, (db) => db.exec(`DROP ROLE IF EXISTS ${ROLE}`).then(() => {}), true);
    });

    it("a schema.sql creating extensions, a type and a function compiles, upgrades, and diff is empty after, with and without the cache", async () => {
      // On PGlite the model is compiled (and the chain proved) on embedded shadows; the embedded target is left uncreated.
      const dir = project(t.name === "pglite" ? `pglite:${path.join(repoTempDir("extensions-db"), "db")}` : tdb.url, { "schema.sql": MODEL });
      // Where the role comes from: on a server, the platform; on an embedded chain, a hand-written migration.
      if (t.name === "pglite") writeMigration(dir, "000_role.sql", sqlMigration("000", null, "role", `CREATE ROLE ${ROLE};`, `DROP ROLE ${ROLE};`));
      else await withDb(tdb, (db) => db.exec(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}') THEN CREATE ROLE ${ROLE}; END IF; END $$`));
      const fromChain = t.name === "pglite";
      const first = await autogenerate({ cwd: dir, message: "base", fromChain });
      expect(first.written).not.toBeNull();
      expect(fs.readFileSync(first.written!.path, "utf8")).toContain("hstore");
      if (t.name !== "pglite") await upgrade({ cwd: dir, check: false });
      const after = await diff({ cwd: dir, fromChain });
      expect(after.differences).toEqual([]);
      expect(after.notManaged).toContain(`role ${ROLE}`);
      fs.rmSync(path.join(dir, ".sluice"), { recursive: true, force: true });
      expect((await diff({ cwd: dir, fromChain })).differences).toEqual([]);
      // A server's roles are not on an embedded shadow: the proof goes to the target's server.
      const proof = await verify({ cwd: dir, all: true, data: false, shadowUrl: fromChain ? undefined : "target" });
      expect(proof.ok, renderVerify(proof)).toBe(true);
      expect(proof.drift.checked).toBe(true);
      expect(proof.drift.differences).toEqual([]);
    });

    it("proves a chain that creates pg_trgm and citext on the embedded shadow, saying when the target runs another major version", async () => {
      const dir = project(t.name === "pglite" ? "pglite:memory" : tdb.url);
      writeMigration(dir, "001_extensions.sql", sqlMigration("001", null, "extensions", "CREATE EXTENSION pg_trgm;\nCREATE EXTENSION citext;\nCREATE TABLE words (w citext PRIMARY KEY);\nCREATE INDEX words_trgm ON words USING gist ((w::text) gist_trgm_ops);", "DROP TABLE words;\nDROP EXTENSION citext;\nDROP EXTENSION pg_trgm;"));
      const proof = await verify({ cwd: dir, all: true, data: false });
      expect(proof.ok, renderVerify(proof)).toBe(true);
      expect(proof.shadow.kind).toBe("pglite");
      const version = await withDbValue(tdb, t.name);
      if (version !== proof.shadow.version) expect(renderVerify(proof)).toContain(`proved on embedded PostgreSQL ${proof.shadow.version}; the target runs PostgreSQL ${version}`);
      else expect(proof.shadow.notes).toEqual([]);
    });
  });
}

describe("the embedded shadow and extensions", () => {
  it("compiles a model using an extension a hand-written migration creates, on an embedded scratch brought to the chain", async () => {
    const dir = project(`pglite:${path.join(repoTempDir("extensions-db"), "db")}`, { "schema.sql": "CREATE TABLE words (w citext PRIMARY KEY, n int);\n" });
    writeMigration(dir, "001_citext.sql", sqlMigration("001", null, "citext", "CREATE EXTENSION citext;", "DROP EXTENSION citext;"));
    const r = await diff({ cwd: dir });
    expect(r.differences.map((d) => d.text)).toContain("table words: added");
  });

  it("refuses a chain creating an extension PGlite lacks, naming it and --shadow-url, for an embedded target", async () => {
    const dir = project(`pglite:${path.join(repoTempDir("extensions-db"), "db")}`);
    writeMigration(dir, "001_vector.sql", sqlMigration("001", null, "vector", "CREATE EXTENSION vector;", "DROP EXTENSION vector;"));
    const err = await verify({ cwd: dir, all: true, data: false }).catch((e) => e);
    expect(err.exitCode).toBe(2);
    expect(err.message).toContain("vector");
    expect(err.hint).toContain("--shadow-url");
  });

  const server = targets.find((t) => t.name !== "pglite");
  it.skipIf(!server)("falls back to a scratch database on a server target's own server, saying so", async () => {
    const tdb = await server!.create();
    try {
      const dir = project(tdb.url);
      // postgres_fdw ships with PostgreSQL's contrib, not with PGlite.
      writeMigration(dir, "001_fdw.sql", sqlMigration("001", null, "fdw", "CREATE EXTENSION postgres_fdw;", "DROP EXTENSION postgres_fdw;"));
      const proof = await verify({ cwd: dir, all: true, data: false });
      expect(proof.ok, renderVerify(proof)).toBe(true);
      expect(proof.shadow.kind).toBe("pg");
      expect(renderVerify(proof)).toContain("postgres_fdw, which embedded PGlite does not ship: proving on a scratch database on the target's server instead");
      // The config's devUrl names a server of the target's version: verify's shadow goes there without being told.
      fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(tdb.url)}, devUrl: ${JSON.stringify(tdb.url)} });\n`);
      writeMigration(dir, "001_fdw.sql", sqlMigration("001", null, "plain", "CREATE TABLE t (id int);", "DROP TABLE t;"));
      const onDev = await verify({ cwd: dir, all: true, data: false });
      expect(onDev.ok, renderVerify(onDev)).toBe(true);
      expect(onDev.shadow.kind).toBe("pg");
      expect(onDev.shadow.notes).toEqual([]);
    } finally {
      await tdb.drop();
    }
  });
});
