#!/usr/bin/env node
// Verify benchmark: `sluice verify` of the last 10 migrations of the generated
// 1,000-migration chain (bench/chain/generate.mjs), replay of the 990 before
// them included, on the default embedded PGlite shadow and on a scratch
// database on a real server (`--shadow-url`). Wall clock and peak RSS of each
// process (/usr/bin/time), median of the runs after one warm-up.
//
// Usage: npm run bench:verify [-- --count 1000 --last 10 --runs 5 --url postgres://… --write]
//   --url      the server the scratch databases are created on; default
//              BENCH_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres
//   --write    also record the table in bench/RESULTS.md

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate, repoRoot } from "../chain/generate.mjs";
import { benchArgs } from "../args.mjs";
import { recordSection } from "../results.mjs";
import { measure, median } from "../measure.mjs";

const { args, opt } = benchArgs();
const count = Number(opt("count", "1000"));
const last = Number(opt("last", "10"));
const runs = Number(opt("runs", "5"));
const serverUrl = opt("url", process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const write = args.includes("--write");
const TARGET_MS = 10_000;

const work = path.join(repoRoot, "bench", "out", "verify");
const sluiceBin = path.join(repoRoot, "bin", "sluice.js");
// jiti's compiled-file cache and PGlite's initialized template live under the
// temp folder; a folder of the benchmark's own makes the first run really cold.
const tmp = path.join(work, "tmp");

if (!fs.existsSync(path.join(repoRoot, "dist", "cli", "main.js"))) {
  console.error("dist/ is missing: run `npm run build` first (`npm run bench:verify` does).");
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const redact = (url) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

/** One `sluice verify` process: wall ms, peak RSS in MB, CPU ms and its JSON result. */
function verifyOnce(revisions, shadowArgs) {
  // Exit 1 is verify's "found problems": still a complete run, checked below.
  const r = measure(process.execPath, [sluiceBin, "verify", ...revisions, "--json", ...shadowArgs], {
    cwd: gen.sluiceDir,
    env: { ...process.env, TMPDIR: tmp, DATABASE_URL: "" },
    ok: [0, 1],
  });
  const result = JSON.parse(r.stdout.slice(r.stdout.indexOf("{")));
  const proved = result.revisions.map((p) => p.revision);
  if (proved.join() !== revisions.join()) throw new Error(`sluice verify proved ${proved.join(", ")}, expected ${revisions.join(", ")}`);
  const proofsMs = result.revisions.reduce((sum, p) => sum + p.ms, 0);
  return { ms: r.ms, rssMb: r.rssMb, cpuMs: r.cpuMs, proofsMs, result };
}

/** Revisions that failed the round trip, and the first difference of each, shortened. */
function failures(result) {
  return result.revisions
    .filter((p) => !p.ok)
    .map((p) => {
      const d = p.error?.message ?? [...p.downgradeDifferences, ...p.reupgradeDifferences][0] ?? "";
      return `${p.revision}: ${d.replace(/: \[.*$/, "")}`;
    });
}

const loadBefore = os.loadavg()[0];
const gen = await generate({ count, out: work });
log(`Generated ${gen.count} migrations (${gen.formats.ts} .ts, ${gen.formats.sql} .sql; ${gen.statements} upgrade statements).`);
fs.mkdirSync(tmp, { recursive: true });
const revisions = Array.from({ length: last }, (_, i) => String(count - last + 1 + i).padStart(3, "0"));

const shadows = [
  { key: "pglite", label: "embedded PGlite (default shadow)", args: [] },
  { key: "server", label: `scratch database on the server (\`--shadow-url\`)`, args: ["--shadow-url", serverUrl] },
];
const results = {};
// The first run after generating: no migration metadata cache, no compiled-file cache, no PGlite template.
const cold = verifyOnce(revisions, []);
log(`PGlite, first run (no caches): ${fmt(cold.ms)}, ${cold.rssMb.toFixed(0)} MB`);
for (const s of shadows) {
  results[s.key] = [];
  if (s.key !== "pglite") verifyOnce(revisions, s.args); // warm-up
  for (let i = 0; i < runs; i++) {
    const r = verifyOnce(revisions, s.args);
    results[s.key].push(r);
    log(`${s.key} run ${i + 1}/${runs}: ${fmt(r.ms)} (verify's own ${fmt(r.result.ms)}, proofs ${fmt(r.proofsMs)}), CPU ${fmt(r.cpuMs)}, ${r.rssMb.toFixed(0)} MB`);
  }
}
const loadAfter = os.loadavg()[0];

const first = results.pglite[0].result;
const serverVersion = results.server[0].result.shadow.version;
const rows = shadows.map((s) => {
  const rs = results[s.key];
  return { label: s.label, ms: median(rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)), proofsMs: median(rs.map((r) => r.proofsMs)), min: Math.min(...rs.map((r) => r.ms)), rssMb: median(rs.map((r) => r.rssMb)), maxRss: Math.max(...rs.map((r) => r.rssMb)), n: rs.length, pg: rs[0].result.shadow.version };
});
const pgliteMs = rows[0].ms;
const failed = failures(first);
const verdicts = new Set(shadows.flatMap((s) => results[s.key].map((r) => failures(r.result).join("\n"))));
const command = `npm run bench:verify -- --runs ${runs}${write ? " --write" : ""}`;
const section = [
  "## Verify of the last 10 of 1,000 migrations (issue 6)",
  "",
  `Produced by \`${command}\` (script in \`bench/verify/\`) on ${new Date().toISOString().slice(0, 10)}.`,
  "",
  `Chain: the ${gen.count}-migration chain of bench/chain (${gen.formats.ts} \`.ts\`, ${gen.formats.sql} \`.sql\`, ${gen.statements} upgrade statements). ` +
    `Each run is one process, \`sluice verify ${revisions[0]} … ${revisions[revisions.length - 1]} --json\` in the generated project: a fresh shadow, the ${count - last} predecessors replayed, ` +
    "then for each of the 10 revisions upgrade, snapshot, downgrade (compared with the snapshot before), upgrade again (compared with the one after), with the locks observed.",
  `Machine: Node ${process.version}, ${os.cpus().length} CPUs shared with other work; server PostgreSQL ${serverVersion} on the same host (${redact(serverUrl)}), PGlite PostgreSQL ${rows[0].pg}. ` +
    `1-minute load average ${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after. Wall clock, CPU time and peak RSS of each process (/usr/bin/time); median of ${runs} runs after a warm-up. ` +
    "\"Of which the 10 proofs\" sums the round trips' own times from the JSON result; the rest is start-up, the shadow and the replay. " +
    "On a loaded machine wall clock stretches and CPU time does not: compare CPU time across runs.",
  "",
  "| Shadow | Wall, median | Wall, min | CPU (user + sys), median | of which the 10 proofs | Peak RSS (median / max) | Runs |",
  "|---|---:|---:|---:|---:|---:|---:|",
  ...rows.map((r) => `| ${r.label} | ${fmt(r.ms)} | ${fmt(r.min)} | ${fmt(r.cpuMs)} | ${fmt(r.proofsMs)} | ${r.rssMb.toFixed(0)} / ${r.maxRss.toFixed(0)} MB | ${r.n} |`),
  `| embedded PGlite, first run after generating (no caches: migrations compiled, PGlite's template initialized) | ${fmt(cold.ms)} | ${fmt(cold.ms)} | ${fmt(cold.cpuMs)} | ${fmt(cold.proofsMs)} | ${cold.rssMb.toFixed(0)} MB | 1 |`,
  "",
  `Target: under 10 s on PGlite, replay included: ${fmt(pgliteMs)} — ${pgliteMs < TARGET_MS ? "**met**" : "**missed**"}.`,
  "",
  verdicts.size === 1 && failed.length && failed.every((f) => /^\S+: enum \S+ › values/.test(f))
    ? `Verify's verdict (exit 1) is the same in every run: ${failed.length} of the 10 revisions add an enum value that their downgrade leaves in place (PostgreSQL cannot drop one), and the round trip reports it as a difference (${failed.join("; ")}).`
    : failed.length
    ? `Verify's verdict (exit 1), in the first PGlite run: ${failed.length} revision(s) failed (${failed.join("; ")})${verdicts.size > 1 ? "; other runs differed" : ""}.`
    : "Every revision passed the round trip (exit 0).",
  "",
].join("\n");

console.log(section);
if (write) {
  recordSection(section);
  log("Recorded in bench/RESULTS.md.");
}
