#!/usr/bin/env node
// The README's main job: the HartOMat roadmap after 059, carried out with Sluice
// on a copy of examples/hartomat. With no argument it runs on the copy's embedded
// database (no server); `node scripts/demo.mjs --url postgres://…` runs it on a
// server database instead. Each step is the `sluice` command a user would type.
//
// The seed's plan numbers its items 060, 061, 064 and 065; the chain stays
// sequential, so they become 060, 061, 062 (with 063, which builds its index
// concurrently outside a transaction) and 064 (see the README).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin", "sluice.js");
const urlAt = process.argv.indexOf("--url");
const url = urlAt > 0 ? process.argv[urlAt + 1] : undefined;

// A fresh copy of the example: its model imports drizzle-orm, found through the repository's node_modules.
const work = fs.mkdtempSync(path.join(process.env.SLUICE_DEMO_ROOT ?? os.tmpdir(), "sluice-demo-"));
const project = path.join(work, "hartomat");
fs.cpSync(path.join(root, "examples", "hartomat"), project, {
  recursive: true,
  filter: (src) => !["node_modules", ".sluice"].includes(path.basename(src)),
});
fs.symlinkSync(path.join(root, "node_modules"), path.join(project, "node_modules"), "dir");
const databaseArgs = url ? ["--url", url] : [];

function sluice(title, args) {
  process.stdout.write(`\n$ sluice ${args.join(" ")}    # ${title}\n`);
  const r = spawnSync(process.execPath, [bin, ...args, ...databaseArgs], { cwd: project, stdio: "inherit" });
  if (r.status !== 0) {
    process.stderr.write(`demo: \`sluice ${args.join(" ")}\` exited ${r.status}\n`);
    process.exit(r.status ?? 1);
  }
}

/** An edit of a project file, shown as the one-line summary a commit message would give. */
function edit(file, title, change) {
  const full = path.join(project, file);
  const before = fs.readFileSync(full, "utf8");
  const after = change(before);
  if (after === before) throw new Error(`demo: the edit "${title}" changed nothing in ${file}`);
  fs.writeFileSync(full, after);
  process.stdout.write(`\n# edit ${file}: ${title}\n`);
}

/** Replace exactly one occurrence of `from`. */
const replace = (from, to) => (text) => {
  if (text.split(from).length !== 2) throw new Error(`demo: expected one "${from}"`);
  return text.replace(from, to);
};

async function loadSeedRows() {
  const { openDatabase, parseDatabaseUrl } = await import(path.join(root, "dist", "index.js"));
  const db = await openDatabase(parseDatabaseUrl(url ?? "pglite:.sluice/pglite", project));
  try {
    await db.exec(fs.readFileSync(path.join(project, "seed.sql"), "utf8"));
  } finally {
    await db.close();
  }
  process.stdout.write("\n# seed.sql loaded: tenants, users, products, cad files, media assets, orders, settings\n");
}

/** The seed's workflow for one change: write and stop for review, then check, verify, apply, report. */
function ship(message, report) {
  sluice("write the migration and stop for review", ["ship", "-m", message]);
  sluice("check, verify on a shadow, apply, compare with the model, report", ["ship", "-m", message, "--yes", "--report", report]);
}

sluice("a new checkout: head 059, next 060", ["current"]);
sluice("apply the history (CI runs `sluice check --all` on it; here only the new steps are checked)", ["upgrade", "--no-check"]);
await loadSeedRows();

// 060 (plan 060): a new media asset type.
edit("src/db/schema.ts", "mediaassettype gets usd_master", replace(`"gltf", "gltf_production"]);`, `"gltf", "gltf_production", "usd_master"]);`));
ship("add usd_master to mediaassettype", "reports/060.md");

// 061 (plan 061): three JSONB columns for material assignments, in the model and the API.
edit("src/db/schema.ts", "cad_files gets three JSONB columns for material assignments", replace(
  `    originalFormat: varchar("original_format", { length: 16 }),\n  },`,
  `    originalFormat: varchar("original_format", { length: 16 }),
    sourceMaterialAssignments: jsonb("source_material_assignments").$type<Record<string, string>>(),
    resolvedMaterialAssignments: jsonb("resolved_material_assignments").$type<Record<string, string>>(),
    manualMaterialOverrides: jsonb("manual_material_overrides").$type<Record<string, string>>(),
  },`,
));
edit("src/api/schemas.ts", "CadFile exposes them, nullable", replace(
  `  originalFormat: z.string().max(16).nullable(),\n});`,
  `  originalFormat: z.string().max(16).nullable(),
  sourceMaterialAssignments: z.record(z.string(), z.string()).nullable(),
  resolvedMaterialAssignments: z.record(z.string(), z.string()).nullable(),
  manualMaterialOverrides: z.record(z.string(), z.string()).nullable(),
});`,
));
ship("add material assignment columns to cad_files", "reports/061.md");

// 062 (plan 064): the STEP file's content hash, looked up by value.
edit("src/db/schema.ts", "cad_files gets step_hash with an index", (text) =>
  replace(
    `    manualMaterialOverrides: jsonb("manual_material_overrides").$type<Record<string, string>>(),\n  },`,
    `    manualMaterialOverrides: jsonb("manual_material_overrides").$type<Record<string, string>>(),
    /** SHA-256 of the uploaded STEP file, hex. */
    stepHash: varchar("step_hash", { length: 64 }),
  },`,
  )(text).replace(`    index("ix_cad_files_product_id").on(t.productId),\n`, `    index("ix_cad_files_product_id").on(t.productId),\n    index("ix_cad_files_step_hash").on(t.stepHash),\n`),
);
edit("src/api/schemas.ts", "CadFile exposes stepHash, nullable", replace(
  `  manualMaterialOverrides: z.record(z.string(), z.string()).nullable(),\n});`,
  `  manualMaterialOverrides: z.record(z.string(), z.string()).nullable(),\n  stepHash: z.string().length(64).nullable(),\n});`,
));
ship("add step_hash to cad_files", "reports/062.md");

// 064 (plan 065): a data migration the model cannot express, written by hand.
sluice("an empty .sql migration after the head", ["revision", "-m", "rename gltf_production settings to scene", "--sql"]);
const dataName = fs.readdirSync(path.join(project, "migrations")).find((f) => f.endsWith("_rename_gltf_production_settings_to_scene.sql"));
const dataFile = path.join(project, "migrations", dataName);
fs.writeFileSync(
  dataFile,
  fs
    .readFileSync(dataFile, "utf8")
    .replace(
      /-- sluice:upgrade\n[\s\S]*$/,
      `-- sluice:upgrade
UPDATE system_settings
   SET key = 'scene_' || substr(key, length('gltf_production_') + 1)
 WHERE key LIKE 'gltf\\_production\\_%';
-- sluice:downgrade
UPDATE system_settings
   SET key = 'gltf_production_' || substr(key, length('scene_') + 1)
 WHERE key LIKE 'scene\\_%';
`,
    ),
);
process.stdout.write(`\n# wrote the upgrade and downgrade of migrations/${dataName}:\n${fs.readFileSync(dataFile, "utf8")}`);
ship("rename gltf_production settings to scene", `reports/${dataName.slice(0, 3)}.md`);

sluice("the chain, newest first: 048 and 049 were roadmap items done early", ["history"]);
sluice("cad_files as the roadmap left it", ["describe", "cad_files"]);
process.stdout.write(`\nThe project is in ${project}; its reports are in ${path.join(project, "reports")}.\n`);
