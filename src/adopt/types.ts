import type { Db } from "../db/types.js";
import { SluiceError } from "../errors.js";

/** One migration of another tool's chain, as that tool wrote it. */
export interface ForeignMigration {
  /** The tool's own id for it (`0007_fine_hulk`, an Alembic revision id). */
  readonly id: string;
  /** A message for the Sluice file (its slug names the file). */
  readonly message: string;
  /** The file it came from, relative to the project root. */
  readonly file: string;
  readonly upgrade: string;
  /** The tool's own downgrade, when it has one; otherwise Sluice computes one. */
  readonly downgrade?: string;
}

export interface ForeignChain {
  readonly tool: string;
  /** In the order the tool applies them. */
  readonly migrations: readonly ForeignMigration[];
}

/** An error in another tool's folder or table: names the file and what is wrong (exit 2). */
export interface ForeignTool {
  readonly name: string;
  /** The folder (or files) read when none is given. */
  readonly defaultSource: string;
  read(source: string, root: string): ForeignChain;
  /** The ids the database has applied by the tool's own table; empty when the table does not exist. Reads only. */
  applied(db: Db, chain: ForeignChain): Promise<string[]>;
}

/** Refuses another tool's folder or table, naming the file and what is wrong (exit 2). */
export function foreignToolError(file: string, what: string, hint: string): never {
  throw new SluiceError("import", `${file}: ${what}`, { hint, details: { file } });
}
