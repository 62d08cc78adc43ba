import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Db } from "../db/types.js";
import { SluiceError } from "../errors.js";
import { foreignToolError, type ForeignChain, type ForeignMigration, type ForeignTool } from "./types.js";
import { projectPath } from "../paths.js";

interface JournalEntry {
  readonly idx: number;
  readonly when: number;
  readonly tag: string;
}

interface DrizzleMigration extends ForeignMigration {
  /** sha256 of the file, as drizzle-orm's migrator records it. */
  readonly hash: string;
  /** The journal's `when`: the migrator's `created_at`. */
  readonly when: number;
}

/**
 * Drizzle Kit's folder: `meta/_journal.json` lists the migrations in order,
 * each `NNNN_tag.sql` beside it; the migrator records each applied file in
 * `drizzle.__drizzle_migrations` by its sha256 and the journal's `when`.
 */
export const drizzleKit: ForeignTool = {
  name: "drizzle-kit",
  defaultSource: "drizzle",
  read(source, root): ForeignChain {
    const journalPath = path.join(source, "meta", "_journal.json");
    const journalFile = projectPath(root, journalPath);
    if (!fs.existsSync(journalPath)) {
      foreignToolError(journalFile, "not found: this is not a Drizzle Kit migrations folder.", "Give the folder `drizzle-kit generate` writes to (its `out`), e.g. `sluice import drizzle-kit ./drizzle`.");
    }
    let journal: { entries?: unknown };
    try {
      journal = JSON.parse(fs.readFileSync(journalPath, "utf8"));
    } catch (err) {
      foreignToolError(journalFile, `is not valid JSON (${(err as Error).message}).`, "Restore it from version control, or run `drizzle-kit generate` again.");
    }
    if (!Array.isArray(journal.entries)) foreignToolError(journalFile, "has no `entries` list: an unknown journal format.", "Sluice reads the journal of drizzle-kit 0.2x and later.");
    const entries = journal.entries as JournalEntry[];
    const listed = new Set<string>();
    const migrations: DrizzleMigration[] = entries.map((e, i) => {
      if (typeof e?.tag !== "string" || typeof e.when !== "number") foreignToolError(journalFile, `entry ${i} has no \`tag\` and \`when\`: an unknown journal format.`, "Restore it from version control.");
      const file = path.join(source, `${e.tag}.sql`);
      listed.add(`${e.tag}.sql`);
      if (!fs.existsSync(file)) foreignToolError(projectPath(root, file), `is listed in ${journalFile} (entry ${i}) but does not exist.`, "Restore the file, or remove its entry from the journal.");
      const text = fs.readFileSync(file, "utf8");
      return {
        id: e.tag,
        message: e.tag.replace(/^\d+_/, "").replace(/_/g, " "),
        file: projectPath(root, file),
        upgrade: text,
        hash: crypto.createHash("sha256").update(text).digest("hex"),
        when: e.when,
      };
    });
    for (const f of fs.readdirSync(source).sort()) {
      if (f.endsWith(".sql") && !listed.has(f)) {
        foreignToolError(projectPath(root, path.join(source, f)), `has no entry in ${journalFile}: drizzle-kit's migrator would never apply it.`, "Add it with `drizzle-kit generate`, or remove the file.");
      }
    }
    return { tool: "drizzle-kit", migrations };
  },
  async applied(db: Db, chain: ForeignChain): Promise<string[]> {
    const exists = await db.query<{ t: string | null }>("SELECT to_regclass('drizzle.__drizzle_migrations')::text AS t");
    if (!exists.rows[0]?.t) return [];
    const rows = (await db.query<{ hash: string; created_at: string }>("SELECT hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY created_at")).rows;
    const migrations = chain.migrations as DrizzleMigration[];
    const applied: string[] = [];
    for (const row of rows) {
      const m = migrations.find((x) => String(x.when) === row.created_at);
      if (!m) {
        throw new SluiceError("import", `drizzle.__drizzle_migrations has a row (created_at ${row.created_at}) that no entry of the journal has: the folder is not the one this database was migrated from.`, {
          hint: "Give the folder this database was migrated with, or restore the missing migration and its journal entry.",
        });
      }
      if (m.hash !== row.hash) {
        foreignToolError(m.file, `differs from the file drizzle-kit applied (its sha256 is ${m.hash.slice(0, 12)}…, drizzle.__drizzle_migrations recorded ${row.hash.slice(0, 12)}…).`, "Restore the file as it was applied, then import.");
      }
      applied.push(m.id);
    }
    return applied;
  },
};
