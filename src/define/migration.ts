import type { OpBuilder } from "../ops/builder.js";

/** Assertions a migration's backfill must satisfy before it commits. */
export interface MigrationVerify {
  /** `table.column` pairs that must hold no NULL after the upgrade. */
  readonly notNull?: readonly string[];
  /** Queries that must return no rows after the upgrade. */
  readonly sql?: readonly string[];
}

/** What a `.ts` migration file default-exports. */
export interface MigrationDefinition {
  /** The revision id as a string: "003", never 3. */
  readonly revision: string;
  /** The predecessor(s); `null` for the first migration, several for a merge. */
  readonly downRevision: string | readonly string[] | null;
  readonly message?: string;
  /** Default true. False runs the statements one by one outside a transaction (CREATE INDEX CONCURRENTLY). */
  readonly transactional?: boolean;
  /** statement_timeout for this migration's statements: ms or "30s"; 0 for none. Default: the config's `statementTimeout`. */
  readonly statementTimeout?: number | string;
  /** Declares the migration irreversible, with the reason; its downgrade may then be empty. */
  readonly irreversible?: string;
  readonly verify?: MigrationVerify;
  upgrade(op: OpBuilder): void | Promise<void>;
  downgrade(op: OpBuilder): void | Promise<void>;
}

/**
 * Declares one migration, typed. The default export of `migrations/NNN_slug.ts`.
 *
 * @example
 * import { defineMigration } from "sluice";
 * export default defineMigration({
 *   revision: "002",
 *   downRevision: "001",
 *   message: "add books table",
 *   upgrade(op) { op.createTable("books", [{ name: "id", type: "uuid", primaryKey: true }]); },
 *   downgrade(op) { op.dropTable("books"); },
 * });
 */
export function defineMigration(definition: MigrationDefinition): MigrationDefinition {
  return definition;
}
