import fs from "node:fs";
import path from "node:path";
import { ConfigError } from "../errors.js";
import { splitStatements } from "../sql/parse.js";

export interface SqlModel {
  /** The file's text, its CREATE ROLE statements blanked out (lines kept, so errors name the file's own lines). */
  readonly statements: string[];
  /** The roles it creates: roles belong to the whole server, so a scratch database only borrows them (created if missing, dropped after). */
  readonly roles: string[];
}

/** A `schema.sql` model: any DDL PostgreSQL accepts, applied as written, but for the roles it creates. */
export async function loadSqlModel(file: string, root: string): Promise<SqlModel> {
  if (!fs.existsSync(file)) {
    throw new ConfigError(`The model file ${path.relative(root, file) || file} does not exist.`, "Check `schema.sql` in sluice.config.ts; paths are relative to the config file.");
  }
  const text = fs.readFileSync(file, "utf8");
  if (!/create\s+(role|user|group)/i.test(text)) return { statements: [text], roles: [] };
  // Text that does not parse is applied as it is; PostgreSQL says where it is wrong.
  const statements = await splitStatements(text).catch(() => []);
  const roles: string[] = [];
  let out = text;
  for (const st of statements) {
    const role = (st.ast as { CreateRoleStmt?: { role?: string } }).CreateRoleStmt?.role;
    if (!role) continue;
    roles.push(role);
    out = out.slice(0, st.offset) + st.sql.replace(/[^\n]/g, " ") + out.slice(st.offset + st.sql.length);
  }
  return { statements: [out], roles };
}
