import fs from "node:fs";
import { openProject, type CommonOptions } from "./context.js";
import { resolveRevision } from "../chain/graph.js";
import { compileMigration } from "../runner/runner.js";

export interface ShowOptions extends CommonOptions {
  /** A revision id or a unique prefix. */
  revision: string;
}

export interface ShowResult {
  revision: string;
  downRevisions: string[];
  message: string;
  file: string;
  format: "ts" | "sql";
  transactional: boolean;
  irreversible: string | null;
  /** The file as written. */
  source: string;
  /** The statements each direction runs, in order. */
  upgradeSql: string[];
  downgradeSql: string[];
}

/** A migration file's source and the SQL both its directions render to. */
export async function showMigration(opts: ShowOptions): Promise<ShowResult> {
  const { chain } = await openProject(opts);
  const m = chain.get(resolveRevision(chain, opts.revision))!;
  const up = await compileMigration(m, "upgrade");
  const down = await compileMigration(m, "downgrade");
  return {
    revision: m.revision,
    downRevisions: [...m.downRevisions],
    message: m.message,
    file: m.file,
    format: m.format,
    transactional: m.transactional,
    irreversible: m.irreversible ?? null,
    source: fs.readFileSync(m.absPath, "utf8"),
    upgradeSql: up.statements.map((s) => s.sql),
    downgradeSql: down.statements.map((s) => s.sql),
  };
}
