import type { Node } from "libpg-query";
import type { Migration } from "../chain/files.js";
import type { Op } from "../ops/types.js";

// The parse tree is loosely typed JSON; rules read it through the helpers in sql.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Severity = "error" | "warning";

/**
 * What a rule is about: the seed's pre-apply checklist, lock safety on live
 * tables (errors under the `strict` preset), type advice, or plain correctness.
 */
export type RuleCategory = "checklist" | "lock" | "types" | "correctness";

export type Direction = "upgrade" | "downgrade";

/** One SQL statement a migration runs, parsed, with where it was written. */
export interface CheckedStatement {
  readonly direction: Direction;
  /** Position among the statements of its direction. */
  readonly index: number;
  readonly sql: string;
  readonly ast: Node;
  /** The parse tree's statement type: `AlterTableStmt`, `IndexStmt`, … */
  readonly kind: string;
  /** The table it acts on (`schema.table`, or `table` in public), "" when none; every rule asks, so it is read once. */
  readonly table: string;
  /** Its `ALTER TABLE` subcommands (AlterTableCmd bodies), none for other statements. */
  readonly commands: readonly Json[];
  /** 1-based line in the migration file, when known. */
  readonly line: number | undefined;
  /** 1-based column of the statement's first token on that line (for an op, of the op call), when known. */
  readonly column: number | undefined;
  /** The op it came from: an `execute` op for raw SQL, any other op rendered by Sluice. */
  readonly op: Op;
  readonly opIndex: number;
  /** Acknowledged findings: rule id → reason ("" when the reason is missing). */
  readonly allow: Readonly<Record<string, string>>;
}

/** SQL that PostgreSQL's parser rejected. */
export interface SyntaxProblem {
  readonly direction: Direction;
  readonly line: number | undefined;
  /** 1-based column where the parser stopped, when known. */
  readonly column: number | undefined;
  readonly message: string;
  readonly opIndex: number;
}

/** A migration as the rules see it: metadata and both directions' statements. */
export interface CheckedMigration {
  readonly migration: Migration;
  readonly upgrade: readonly CheckedStatement[];
  readonly downgrade: readonly CheckedStatement[];
  /** Ops recorded per direction (an empty list is an empty direction). */
  readonly upgradeOps: readonly Op[];
  readonly downgradeOps: readonly Op[];
  /** Where each direction starts in the file, when known. */
  readonly upgradeLine: number | undefined;
  readonly downgradeLine: number | undefined;
  readonly syntaxErrors: readonly SyntaxProblem[];
}

/** What a rule reports: the statement (or line) it is about, what is wrong and how to fix it. */
export interface Report {
  readonly statement?: CheckedStatement;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly fix: string;
}

/** A finding, as printed and as returned in JSON. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly revision: string;
  readonly file: string;
  readonly line: number | null;
  /** 1-based column of the statement's first token (or of the op call), null when unknown. */
  readonly column: number | null;
  readonly message: string;
  readonly fix: string;
  /** The rule's page, in Sluice's docs (`docs/checks/<rule>.md`; `sluice check --explain <rule>` prints it). */
  readonly docs: string;
}

/** A finding the migration acknowledged, with its reason. */
export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** The whole chain, for rules about the revision graph. */
export interface ChainInput {
  readonly migrations: readonly Migration[];
}

export interface Rule {
  /** Stable id, used in configs, `allow` and `-- sluice:allow`. */
  readonly id: string;
  readonly category: RuleCategory;
  /** Severity under the default preset. */
  readonly severity: Severity;
  /** One line: what the rule catches. */
  readonly summary: string;
  /** The ids of Squawk's rules that catch the same hazard; their `-- squawk-ignore` comments acknowledge this rule. */
  readonly squawk?: readonly string[];
  /** The names of strong_migrations' checks for the same hazard (named in the rule's page). */
  readonly strongMigrations?: readonly string[];
  /** Reports on one migration. */
  check?(m: CheckedMigration): Report[];
  /** Reports on the chain as a whole; each report names its migration. */
  checkChain?(chain: ChainInput): (Report & { migration: Migration })[];
  /** Whether the rule applies under the project's run settings (default: always). */
  appliesUnder?(settings: RunSettings): boolean;
}

/** What the runner does for every migration, as far as the rules care. */
export interface RunSettings {
  /** The lock_timeout Sluice sets for each migration, in ms; 0 when the config turned it off. */
  readonly lockTimeoutMs: number;
}
