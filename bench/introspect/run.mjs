#!/usr/bin/env node
// Schema introspection benchmark: a 2,000-table schema on a real server, read by
// Sluice's introspect() and `sluice describe --json`, by `pg_dump --schema-only`
// (the floor) and by `drizzle-kit pull` (the peer). Prints wall time (median of
// RUNS), peak memory (max RSS of the process) and Sluice's query count.
//
//   npm run build && node bench/introspect/run.mjs [postgres://user@host:5432/db]
//
// The URL (argument or SLUICE_BENCH_PG_URL) names a database to connect to for
// CREATE DATABASE; the benchmark creates and drops its own databases there.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { measure, median } from "../measure.mjs";
import { schemaBatches } from "./schema.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const adminUrl = process.argv[2] ?? process.env.SLUICE_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const TABLES = Number(process.env.BENCH_TABLES ?? 2000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** drizzle-kit pull takes minutes at this size: fewer runs, no warm-up unless asked. */
const PEER_RUNS = Number(process.env.BENCH_PEER_RUNS ?? 1);

function dbUrl(name) {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}
const shown = (url) => url.replace(/:[^:@/]*@/, ":***@");

async function createDatabase(name, tables) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const c = new pg.Client({ connectionString: dbUrl(name) });
  await c.connect();
  try {
    for (const batch of schemaBatches(tables)) await c.query(batch);
    await c.query("ANALYZE");
  } finally {
    await c.end();
  }
}

async function dropDatabase(name) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

function bench(label, fn, count = RUNS) {
  if (count > 1) fn(); // warm the server's caches and the OS file cache
  const runs = Array.from({ length: count }, fn);
  const row = { label, ms: median(runs.map((r) => r.ms)), rssMb: Math.max(...runs.map((r) => r.rssMb)), extra: runs[0].extra };
  console.log(`  ${label.padEnd(44)} ${row.ms.toFixed(0).padStart(7)} ms  ${row.rssMb.toFixed(0).padStart(5)} MB`);
  return row;
}

/** One introspect() in a fresh process, reporting its own time and query count. */
function introspectOnce(url) {
  const m = measure(process.execPath, [path.join(here, "introspect-once.mjs"), url], { cwd: root });
  const inner = JSON.parse(m.stdout);
  return { ms: m.ms, rssMb: m.rssMb, extra: inner };
}

const main = async () => {
  if (!fs.existsSync(path.join(root, "dist", "schema", "introspect.js"))) throw new Error("Run `npm run build` first.");
  const small = "sluice_bench_introspect_small";
  const big = "sluice_bench_introspect";
  console.log(`Server: ${shown(adminUrl)}; ${TABLES} tables; median of ${RUNS} runs after one warm-up (drizzle-kit: ${PEER_RUNS} run(s)).`);
  console.log("Creating the schemas …");
  await createDatabase(small, 20);
  await createDatabase(big, TABLES);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-bench-introspect-"));
  try {
    const smallCount = introspectOnce(dbUrl(small)).extra;
    const bigCount = introspectOnce(dbUrl(big)).extra;
    console.log(`Queries per introspect(): ${smallCount.queries} with 20 tables, ${bigCount.queries} with ${bigCount.tables} tables.`);

    const project = path.join(work, "project");
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, "sluice.config.mjs"), "export default {};\n");
    const sluiceBin = path.join(root, "bin", "sluice.js");
    const drizzleBin = path.join(root, "node_modules", "drizzle-kit", "bin.cjs");

    console.log("Results:");
    const rows = [];
    rows.push(bench("pg_dump --schema-only (floor)", () => measure("pg_dump", ["--schema-only", "-f", "/dev/null", "-d", dbUrl(big)])));
    const insideRuns = [];
    rows.push(
      bench("sluice introspect() (node process)", () => {
        const r = introspectOnce(dbUrl(big));
        insideRuns.push(r.extra.ms);
        return r;
      }),
    );
    const middle = `t${String(Math.floor(TABLES / 2)).padStart(4, "0")}`;
    rows.push(
      bench(`sluice describe ${middle} --json`, () =>
        measure(process.execPath, [sluiceBin, "--url", dbUrl(big), "describe", middle, "--json"], { cwd: project }),
      ),
    );
    rows.push(
      bench("drizzle-kit pull (peer)", () => {
        const out = path.join(work, `drizzle-${Math.random().toString(36).slice(2)}`);
        return measure(process.execPath, [drizzleBin, "pull", "--dialect", "postgresql", "--url", dbUrl(big), "--out", out], { cwd: work });
      }, PEER_RUNS),
    );
    const inside = median(insideRuns);
    console.log(`  introspect() itself, inside the process: ${inside.toFixed(0)} ms (median)`);
    const [dump, intro, , drizzle] = rows;
    console.log(
      `introspect process vs pg_dump: ${(intro.ms / dump.ms).toFixed(2)}x the time; vs drizzle-kit pull: ${(drizzle.ms / intro.ms).toFixed(1)}x faster.`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await dropDatabase(small);
    await dropDatabase(big);
  }
};

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
