import fs from "node:fs";
import path from "node:path";
import { openProject, type CommonOptions } from "./context.js";
import { MultipleHeads } from "../chain/errors.js";
import { SluiceError } from "../errors.js";
import { controlCharacter, oneLine } from "../text.js";
import { projectPath } from "../paths.js";

export interface RevisionOptions extends CommonOptions {
  message: string;
  /** Write a `.sql` migration instead of `.ts`. */
  sql?: boolean;
}

export interface RevisionResult {
  path: string;
  file: string;
  revision: string;
  downRevision: string | null;
}

/** Turns a message into a file-name slug: "Add XYZ column!" → "add_xyz_column". */
export function slugify(message: string): string {
  return message.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60).replace(/_+$/, "") || "migration";
}

/**
 * The message of a new migration, trimmed; refused when empty or when it
 * holds a line break or another control character, which would end the
 * comments it is written into (`-- sluice:message`, `upgrade --sql`).
 */
export function migrationMessage(message: string | undefined, example: string): string {
  const text = message?.trim();
  if (!text) throw new SluiceError("usage", "A revision needs a message.", { hint: `Run \`${example}\`.` });
  const bad = controlCharacter(text);
  if (bad) {
    throw new SluiceError("usage", `The message contains ${bad.name} (character ${bad.index + 1}); a migration's message is one line of text.`, {
      hint: "Write the message on one line; longer notes belong in a comment inside the migration.",
    });
  }
  return text;
}

/** Renders the text of a new migration file. */
export function migrationTemplate(args: {
  revision: string;
  downRevisions: readonly string[];
  message: string;
  format: "ts" | "sql";
  upgrade?: string;
  downgrade?: string;
  /** `false` writes `transactional: false` (a .ts file) or `-- sluice:transactional false` (a .sql file). */
  transactional?: boolean;
}): string {
  const { revision, downRevisions, message, format } = args;
  if (format === "sql") {
    return `-- sluice:revision ${revision}
-- sluice:down-revision ${downRevisions.length ? downRevisions.join(", ") : "none"}
-- sluice:message ${oneLine(message)}
${args.transactional === false ? "-- sluice:transactional false\n" : ""}-- sluice:upgrade
${args.upgrade ?? ""}
-- sluice:downgrade
${args.downgrade ?? ""}
`;
  }
  const down = downRevisions.length === 0 ? "null" : downRevisions.length === 1 ? JSON.stringify(downRevisions[0]) : JSON.stringify(downRevisions);
  return `import { defineMigration } from "sluice";

export default defineMigration({
  revision: ${JSON.stringify(revision)},
  downRevision: ${down},
  message: ${JSON.stringify(message)},
${args.transactional === false ? "  transactional: false,\n" : ""}  upgrade(op) {
${args.upgrade ?? ""}  },
  downgrade(op) {
${args.downgrade ?? ""}  },
});
`;
}

/** Writes the next migration file after the current head, with empty bodies. */
export async function revision(opts: RevisionOptions): Promise<RevisionResult> {
  const message = migrationMessage(opts.message, 'sluice revision -m "add xyz column"');
  const { config, chain } = await openProject(opts);
  if (chain.heads.length > 1) throw new MultipleHeads([...chain.heads], "a new revision");
  const downRevisions = chain.heads.length ? [chain.heads[0]] : [];
  return writeMigration(config.migrationsDir, config.root, chain.next, downRevisions, message, opts.sql ? "sql" : "ts");
}

export function writeMigration(dir: string, root: string, rev: string, downRevisions: string[], message: string, format: "ts" | "sql", bodies: { upgrade?: string; downgrade?: string; transactional?: boolean } = {}): RevisionResult {
  migrationMessage(message, 'sluice revision -m "add xyz column"');
  const file = path.join(dir, `${rev}_${slugify(message)}.${format}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, migrationTemplate({ revision: rev, downRevisions, message, format, ...bodies }), { flag: "wx" });
  return {
    path: file,
    file: projectPath(root, file),
    revision: rev,
    downRevision: downRevisions.length ? downRevisions.join(",") : null,
  };
}

export interface MergeOptions extends CommonOptions {
  message: string;
  sql?: boolean;
}

/** Writes a merge revision whose down revisions are all current heads. */
export async function merge(opts: MergeOptions): Promise<RevisionResult> {
  const message = migrationMessage(opts.message, 'sluice merge -m "merge heads"');
  const { config, chain } = await openProject(opts);
  if (chain.heads.length < 2) {
    throw new SluiceError("usage", `There is ${chain.heads.length === 0 ? "no head" : `one head (${chain.heads[0]})`}; nothing to merge.`, {
      hint: 'Use `sluice revision -m "…"` for a new migration.',
    });
  }
  return writeMigration(config.migrationsDir, config.root, chain.next, [...chain.heads], message, opts.sql ? "sql" : "ts");
}
