import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/types.js";
import { SluiceError } from "../errors.js";
import { foreignToolError, type ForeignChain, type ForeignMigration, type ForeignTool } from "./types.js";
import { projectPath } from "../paths.js";

interface PrismaMigration extends ForeignMigration {
  /** sha256 of migration.sql, as Prisma records it in `_prisma_migrations.checksum`. */
  readonly checksum: string;
}

/** `20240115093000_add_posts`: Prisma's folder names, a UTC timestamp and the name given to `migrate dev`. */
const FOLDER = /^(\d{14})_(.+)$/;

/**
 * Prisma Migrate's folder: one `<timestamp>_<name>/migration.sql` per
 * migration, applied in name order, recorded in `_prisma_migrations` with the
 * file's sha256; a row counts as applied when it finished and was not rolled back.
 */
export const prisma: ForeignTool = {
  name: "prisma",
  defaultSource: "prisma/migrations",
  read(source, root): ForeignChain {
    if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) {
      foreignToolError(projectPath(root, source), "not found: this is not a Prisma migrations folder.", "Give the folder `prisma migrate dev` writes to, e.g. `sluice import prisma ./prisma/migrations`.");
    }
    const lock = path.join(source, "migration_lock.toml");
    if (fs.existsSync(lock)) {
      const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(fs.readFileSync(lock, "utf8"))?.[1];
      if (provider && provider !== "postgresql") foreignToolError(projectPath(root, lock), `says provider "${provider}": Sluice imports PostgreSQL migrations only.`, "Import a chain written for PostgreSQL.");
    }
    const migrations: PrismaMigration[] = [];
    for (const name of fs.readdirSync(source).sort()) {
      const dir = path.join(source, name);
      if (!fs.statSync(dir).isDirectory()) continue;
      const m = FOLDER.exec(name);
      if (!m) foreignToolError(projectPath(root, dir), "is not named <timestamp>_<name> as Prisma names its migrations: an unknown format.", "Rename it as `prisma migrate dev` would, or move it out of the folder.");
      const file = path.join(dir, "migration.sql");
      if (!fs.existsSync(file)) foreignToolError(projectPath(root, file), "does not exist: every Prisma migration folder holds one.", "Restore it from version control, or remove the folder.");
      const text = fs.readFileSync(file, "utf8");
      migrations.push({ id: name, message: m[2].replace(/_/g, " "), file: projectPath(root, file), upgrade: text, checksum: crypto.createHash("sha256").update(text).digest("hex") });
    }
    return { tool: "prisma", migrations };
  },
  async applied(db: Db, chain: ForeignChain): Promise<string[]> {
    const exists = await db.query<{ t: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS t");
    if (!exists.rows[0]?.t) return [];
    const rows = (
      await db.query<{ migration_name: string; checksum: string; finished: boolean; rolled_back: boolean }>(
        `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations ORDER BY started_at, migration_name`,
      )
    ).rows;
    const migrations = chain.migrations as PrismaMigration[];
    const applied: string[] = [];
    for (const row of rows) {
      if (row.rolled_back) continue;
      const m = migrations.find((x) => x.id === row.migration_name);
      if (!m) {
        throw new SluiceError("import", `_prisma_migrations records ${row.migration_name}, which the folder does not hold: the folder is not the one this database was migrated from.`, {
          hint: "Give the folder this database was migrated with, or restore the missing migration.",
        });
      }
      if (!row.finished) {
        foreignToolError(m.file, "is recorded in _prisma_migrations as started and not finished (a failed migration).", "Decide it with `prisma migrate resolve --applied` or `--rolled-back` first, then import.");
      }
      if (m.checksum !== row.checksum) {
        foreignToolError(m.file, `differs from the file Prisma applied (its sha256 is ${m.checksum.slice(0, 12)}…, _prisma_migrations recorded ${row.checksum.slice(0, 12)}…).`, "Restore the file as it was applied, then import.");
      }
      applied.push(m.id);
    }
    return applied;
  },
};
