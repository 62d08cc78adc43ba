/**
 * A Schema: a normalized snapshot of a database's structure, as plain
 * JSON-serializable data in a deterministic order, so two snapshots of equal
 * structure are deep-equal and `JSON.stringify` gives equal text.
 *
 * Every SQL fragment (types, defaults, predicates, definitions) is text that
 * PostgreSQL itself formatted (format_type, pg_get_expr, pg_get_constraintdef,
 * pg_get_indexdef, pg_get_viewdef) with `search_path` set to `public`: objects
 * in `public` appear unqualified, objects elsewhere schema-qualified.
 *
 * Ordering: objects by (schema, name) in code-point order; columns by their
 * position in the table; enum values in their declared order; key columns
 * in key order. Names are kept as PostgreSQL stores them (unquoted).
 *
 * Fields may be added to these types; none will be removed or renamed.
 */

export interface Schema {
  /** The schemas that were introspected and exist, in code-point order. */
  readonly schemas: readonly string[];
  /** Extensions installed in the database (all schemas), except the built-in `plpgsql`. */
  readonly extensions: readonly Extension[];
  readonly enums: readonly EnumType[];
  /** Stand-alone and serial sequences; identity columns' sequences are described on their column. */
  readonly sequences: readonly Sequence[];
  /** Ordinary and partitioned tables. */
  readonly tables: readonly Table[];
  /** Views and materialized views. */
  readonly views: readonly View[];
  /**
   * Roles, but only those named when introspecting (a model's declared
   * roles): roles belong to the whole server, and one the model does not
   * declare is never Sluice's to drop.
   */
  readonly roles: readonly Role[];
}

export interface Role {
  readonly name: string;
  readonly createDb: boolean;
  readonly createRole: boolean;
  readonly inherit: boolean;
}

export interface Extension {
  readonly name: string;
  /** The schema its objects live in. */
  readonly schema: string;
  readonly version: string;
}

export interface EnumType {
  readonly schema: string;
  readonly name: string;
  /** In declared (sort) order. */
  readonly values: readonly string[];
  readonly comment: string | null;
}

/** The options every sequence has (also those of an identity column). */
export interface SequenceOptions {
  /** `smallint`, `integer` or `bigint`. */
  readonly type: string;
  /** 64-bit values as decimal strings (JSON has no 64-bit integers). */
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

export interface Sequence extends SequenceOptions {
  readonly schema: string;
  readonly name: string;
  /** The column that owns it (`serial`, or OWNED BY), if any. */
  readonly ownedBy: { readonly schema: string; readonly table: string; readonly column: string } | null;
  readonly comment: string | null;
}

export interface Table {
  readonly schema: string;
  readonly name: string;
  /** `partitioned` for a PARTITION BY parent. */
  readonly kind: "table" | "partitioned";
  /** The partition key as PostgreSQL prints it (`RANGE (created_at)`), for partitioned tables. */
  readonly partitionBy: string | null;
  /** In column order. */
  readonly columns: readonly Column[];
  readonly primaryKey: PrimaryKey | null;
  /** Foreign keys out of this table, by name. */
  readonly foreignKeys: readonly ForeignKey[];
  /** UNIQUE constraints (not unique indexes: those are in `indexes`), by name. */
  readonly uniques: readonly UniqueConstraint[];
  /** CHECK constraints, by name. NOT NULL is a column's `nullable`, never a check. */
  readonly checks: readonly CheckConstraint[];
  readonly exclusions: readonly ExclusionConstraint[];
  /** Indexes that do not back a constraint, by name. */
  readonly indexes: readonly Index[];
  /** ALTER TABLE … ENABLE / FORCE ROW LEVEL SECURITY. */
  readonly rowSecurity: { readonly enabled: boolean; readonly forced: boolean };
  /** Row-level security policies, by name. */
  readonly policies: readonly Policy[];
  readonly comment: string | null;
}

export interface Policy {
  readonly name: string;
  /** AS PERMISSIVE (true) or AS RESTRICTIVE. */
  readonly permissive: boolean;
  readonly command: "all" | "select" | "insert" | "update" | "delete";
  /** The roles it applies to, in code-point order; `public` for PUBLIC. */
  readonly roles: readonly string[];
  /** USING (…) as pg_get_expr prints it, or null. */
  readonly using: string | null;
  /** WITH CHECK (…) as pg_get_expr prints it, or null. */
  readonly withCheck: string | null;
}

export interface Column {
  readonly name: string;
  /** As format_type prints it: `integer`, `character varying(200)`, `uuid`, `text[]`, an enum's name. */
  readonly type: string;
  readonly nullable: boolean;
  /** The default expression as PostgreSQL prints it (`'draft'::text`, `now()`), or null. */
  readonly default: string | null;
  /** GENERATED … AS IDENTITY, with its sequence's options. */
  readonly identity: Identity | null;
  /** GENERATED ALWAYS AS (expression): `stored` or (PostgreSQL 18) `virtual`. */
  readonly generated: { readonly expression: string; readonly kind: "stored" | "virtual" } | null;
  /** Set only when it differs from the type's default collation; quoted as SQL would need it (`"C"`). */
  readonly collation: string | null;
  readonly comment: string | null;
}

export interface Identity extends SequenceOptions {
  readonly generation: "always" | "by default";
}

export type FkAction = "no action" | "restrict" | "cascade" | "set null" | "set default";

export interface ConstraintTiming {
  readonly deferrable: boolean;
  readonly initiallyDeferred: boolean;
}

export interface PrimaryKey extends ConstraintTiming {
  readonly name: string;
  readonly columns: readonly string[];
  readonly comment: string | null;
}

export interface ForeignKey extends ConstraintTiming {
  readonly name: string;
  readonly columns: readonly string[];
  readonly references: { readonly schema: string; readonly table: string; readonly columns: readonly string[] };
  readonly onDelete: FkAction;
  readonly onUpdate: FkAction;
  readonly match: "simple" | "full" | "partial";
  /** False after ADD … NOT VALID until VALIDATE CONSTRAINT. */
  readonly validated: boolean;
  /** pg_get_constraintdef: the whole constraint as SQL, e.g. `FOREIGN KEY (a) REFERENCES b(id) ON DELETE CASCADE`. */
  readonly definition: string;
  readonly comment: string | null;
}

export interface UniqueConstraint extends ConstraintTiming {
  readonly name: string;
  readonly columns: readonly string[];
  /** UNIQUE NULLS NOT DISTINCT. */
  readonly nullsNotDistinct: boolean;
  readonly definition: string;
  readonly comment: string | null;
}

export interface CheckConstraint {
  readonly name: string;
  /** pg_get_constraintdef, e.g. `CHECK ((price >= 0))`. */
  readonly definition: string;
  readonly validated: boolean;
  readonly noInherit: boolean;
  readonly comment: string | null;
}

export interface ExclusionConstraint extends ConstraintTiming {
  readonly name: string;
  /** pg_get_constraintdef, e.g. `EXCLUDE USING gist (room WITH =, during WITH &&)`. */
  readonly definition: string;
  readonly comment: string | null;
}

export interface Index {
  readonly name: string;
  readonly unique: boolean;
  /** The access method: `btree`, `gin`, `gist`, `hash`, `brin`, … */
  readonly method: string;
  /** Key columns in order: a column's name, or an expression as PostgreSQL prints it. */
  readonly columns: readonly IndexKey[];
  /** INCLUDE (…) columns. */
  readonly include: readonly string[];
  /** A partial index's predicate (`(pim_id IS NOT NULL)`), or null. */
  readonly where: string | null;
  readonly nullsNotDistinct: boolean;
  /** False when a CREATE INDEX CONCURRENTLY failed and left it invalid. */
  readonly valid: boolean;
  /** pg_get_indexdef: the whole CREATE INDEX statement (opclasses, ordering, collations included). */
  readonly definition: string;
  readonly comment: string | null;
}

export type IndexKey = { readonly column: string } | { readonly expression: string };

export interface View {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  /** pg_get_viewdef, pretty-printed. */
  readonly definition: string;
  /** Output columns with their types, in order. */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** Indexes on a materialized view (always empty for a plain view). */
  readonly indexes: readonly Index[];
  readonly comment: string | null;
  /**
   * The tables and views its query reads (from pg_depend), with the columns it
   * uses: a change recreates the view only when it touches one of them.
   */
  readonly reads: readonly ViewRead[];
}

export interface ViewRead {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly string[];
}

/** One way two Schemas differ (see compareSchemas). */
export interface SchemaDifference {
  /** `added`/`removed`: the object at `path` is only in b / only in a; `changed`: `property` differs. */
  readonly kind: "added" | "removed" | "changed";
  /** The object, outermost first: `["table products", "column pim_id"]`. */
  readonly path: readonly string[];
  /** The property that differs (`nullable`, `type`, `values`, …) when kind is `changed`. */
  readonly property?: string;
  /** The value in a (absent when added). */
  readonly from?: unknown;
  /** The value in b (absent when removed). */
  readonly to?: unknown;
  /** One readable line: `table products › column pim_id › nullable: true → false`. */
  readonly text: string;
}
