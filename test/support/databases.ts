import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { openDatabase, parseDatabaseUrl, type Db } from "../../src/db/index.js";

/** A fresh, empty database for one test, and how to get rid of it. */
export interface TestDatabase {
  /** A URL Sluice understands: `pglite:<dir>` or `postgres://…/sluice_test_…`. */
  readonly url: string;
  /** Opens a connection (close it before the CLI uses an embedded database). */
  open(): Promise<Db>;
  drop(): Promise<void>;
}

export interface TestTarget {
  readonly name: "pglite" | "postgres";
  create(): Promise<TestDatabase>;
}

const serverUrl = process.env.SLUICE_TEST_PG_URL;

/** Embedded PGlite always; the real server too when SLUICE_TEST_PG_URL is set. */
export const targets: TestTarget[] = [
  { name: "pglite", create: createPglite },
  ...(serverUrl ? [{ name: "postgres" as const, create: createPostgres }] : []),
];

/**
 * Inside a describe: a database of target `t`, created and opened before its
 * tests, closed and dropped after them. Read `.db` (and `.tdb`) in the tests.
 */
export function openForDescribe(t: TestTarget): { readonly tdb: TestDatabase; readonly db: Db } {
  const held = {} as { tdb: TestDatabase; db: Db };
  beforeAll(async () => {
    held.tdb = await t.create();
    held.db = await held.tdb.open();
  });
  afterAll(async () => {
    await held.db?.close();
    await held.tdb?.drop();
  });
  return held;
}

/**
 * A project folder inside the repository (git-ignored), for projects whose
 * TypeScript imports packages such as drizzle-orm or zod from node_modules.
 */
export function repoTempDir(prefix = "proj"): string {
  const base = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "..", ".test-work");
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

export function tempDir(prefix = "proj"): string {
  const base = process.env.SLUICE_TEST_ROOT ?? os.tmpdir();
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

async function createPglite(): Promise<TestDatabase> {
  const dir = path.join(tempDir("pglite"), "data");
  const template = process.env.SLUICE_TEST_PGLITE_TEMPLATE;
  if (template) fs.cpSync(template, dir, { recursive: true });
  const url = `pglite:${dir}`;
  return {
    url,
    open: () => openDatabase(parseDatabaseUrl(url, "/")!),
    drop: async () => fs.rmSync(path.dirname(dir), { recursive: true, force: true }),
  };
}

async function createPostgres(): Promise<TestDatabase> {
  const name = `sluice_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl!);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    url,
    open: () => openDatabase(parseDatabaseUrl(url, "/")!),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
