import fs from "node:fs";
import path from "node:path";
import { CONFIG_NAMES } from "../config/config.js";
import { SluiceError } from "../errors.js";

export interface InitOptions {
  cwd?: string;
  /** A database URL to write into the config instead of the embedded default. */
  database?: string;
  /** The migrations folder to create. Default "./migrations". */
  migrations?: string;
}

export interface InitResult {
  configFile: string;
  migrationsDir: string;
}

/** Writes `sluice.config.ts` and `migrations/`; refuses to overwrite either. */
export async function init(opts: InitOptions = {}): Promise<InitResult> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const existing = CONFIG_NAMES.map((n) => path.join(cwd, n)).find((f) => fs.existsSync(f));
  if (existing) {
    throw new SluiceError("exists", `${path.basename(existing)} already exists here; sluice init leaves it as it is.`, {
      hint: "Edit the existing config, or run init in another folder.",
    });
  }
  const migrations = opts.migrations ?? "./migrations";
  const migrationsDir = path.resolve(cwd, migrations);
  if (fs.existsSync(migrationsDir) && fs.readdirSync(migrationsDir).length > 0) {
    throw new SluiceError("exists", `${migrations} already exists and is not empty; sluice init leaves it as it is.`, {
      hint: "Point `migrations` at another folder with --migrations, or write the config by hand.",
    });
  }
  const configFile = path.join(cwd, "sluice.config.ts");
  const database = opts.database
    ? `  database: ${JSON.stringify(opts.database)},`
    : `  // The database URL: --url, else DATABASE_URL, else this, else embedded PGlite in .sluice/pglite.\n  // database: "postgres://user@localhost:5432/app",`;
  const text = `import { defineConfig } from "sluice";

export default defineConfig({
${database}
  migrations: ${JSON.stringify(migrations)},
  // The application's model, for \`sluice revision --autogenerate\` and \`sluice diff\`: a Drizzle module or a file of DDL.
  // schema: { drizzle: "./src/db/schema.ts" }, // or { sql: "./schema.sql" }
  // Every key is described in node_modules/sluice/docs/config.md.
});
`;
  fs.mkdirSync(migrationsDir, { recursive: true });
  fs.writeFileSync(configFile, text, { flag: "wx" });
  return { configFile, migrationsDir };
}
