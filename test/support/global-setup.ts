import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Initializes one PGlite data directory per test run; each test copies it
 * (tens of milliseconds) instead of paying initdb.
 */
export default async function setup() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-test-"));
  const template = path.join(root, "pglite-template");
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = new PGlite(template);
  await pg.waitReady;
  await pg.close();
  process.env.SLUICE_TEST_PGLITE_TEMPLATE = template;
  process.env.SLUICE_TEST_ROOT = root;
  return () => fs.rmSync(root, { recursive: true, force: true });
}
