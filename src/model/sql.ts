import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";

/** A `schema.sql` model: any DDL PostgreSQL accepts, applied as written. */
export function loadSqlModel(file: string, root: string): string[] {
  if (!fs.existsSync(file)) {
    throw new ConfigError(`The model file ${path.relative(root, file) || file} does not exist.`, "Check `schema.sql` in sluice.config.ts; paths are relative to the config file.");
  }
  return [fs.readFileSync(file, "utf8")];
}
