/**
 * The op vocabulary: every migration directive as plain, readonly data with a
 * literal `kind`. The runner renders ops to SQL, autogenerate writes and
 * reverses them, the checks inspect them and the report summarizes them.
 *
 * Table names may be qualified as `schema.table`.
 */

export type FkAction = "CASCADE" | "SET NULL" | "SET DEFAULT" | "RESTRICT" | "NO ACTION";

/** Acknowledgements of check findings: rule id → the reason, carried into reports. */
export type Allow = Readonly<Record<string, string>>;

export interface Reference {
  readonly table: string;
  /** Default: the referenced table's primary key. */
  readonly column?: string;
  readonly onDelete?: FkAction;
  readonly onUpdate?: FkAction;
  /** Constraint name; PostgreSQL picks `<table>_<column>_fkey` when absent. */
  readonly name?: string;
}

export interface ColumnSpec {
  readonly name: string;
  /** SQL type as written: `uuid`, `varchar(200)`, `jsonb`, `text[]`, an enum's name. */
  readonly type: string;
  /** Default true, as in SQL. */
  readonly nullable?: boolean;
  /** An SQL expression (`'draft'`, `now()`, `true`); numbers and booleans are literals. */
  readonly serverDefault?: string | number | boolean;
  readonly primaryKey?: boolean;
  readonly unique?: boolean;
  readonly references?: Reference;
  readonly identity?: "always" | "by default";
  /** The identity's sequence options, when not PostgreSQL's defaults (64-bit values as decimal strings). */
  readonly identityOptions?: IdentityOptions;
  /** A stored generated column's expression. */
  readonly generated?: string;
  readonly collation?: string;
}

export interface IdentityOptions {
  readonly start?: string | number;
  readonly increment?: string | number;
  readonly min?: string | number;
  readonly max?: string | number;
  readonly cache?: string | number;
  readonly cycle?: boolean;
}

export type IndexColumn = string | { readonly expression: string };

export interface ExecuteOp {
  readonly kind: "execute";
  readonly sql: string;
  /** SQL that undoes this one, when the author knows it. */
  readonly reverseSql?: string;
  /** Where the SQL starts in its migration file (1-based), for findings and errors. */
  readonly line?: number;
  readonly allow?: Allow;
}
export interface CreateTableOp {
  readonly kind: "createTable";
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  /** A composite primary key (a single one can be set on its column). */
  readonly primaryKey?: readonly string[];
  /** The primary key constraint's name; PostgreSQL picks `<table>_pkey` when absent. */
  readonly primaryKeyName?: string;
  readonly ifNotExists?: boolean;
  readonly allow?: Allow;
}
export interface DropTableOp {
  readonly kind: "dropTable";
  readonly table: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The table as it was, so the drop can be reversed. */
  readonly existing?: Omit<CreateTableOp, "kind">;
  readonly allow?: Allow;
}
export interface RenameTableOp {
  readonly kind: "renameTable";
  readonly table: string;
  readonly newName: string;
  readonly allow?: Allow;
}
export interface AddColumnOp {
  readonly kind: "addColumn";
  readonly table: string;
  readonly column: ColumnSpec;
  readonly ifNotExists?: boolean;
  readonly allow?: Allow;
}
export interface DropColumnOp {
  readonly kind: "dropColumn";
  readonly table: string;
  readonly column: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The column as it was, so the drop can be reversed. */
  readonly existing?: ColumnSpec;
  readonly allow?: Allow;
}
export interface ColumnState {
  readonly type?: string;
  /** With `type` in an alterColumn's `existing`: the USING expression that casts back to it (default `col::type`). */
  readonly using?: string;
  readonly nullable?: boolean;
  /** `null` means no default. */
  readonly serverDefault?: string | number | boolean | null;
}
export interface AlterColumnOp {
  readonly kind: "alterColumn";
  readonly table: string;
  readonly column: string;
  readonly type?: string;
  /** `USING` expression for a type change. */
  readonly using?: string;
  readonly nullable?: boolean;
  /** `null` drops the default. */
  readonly serverDefault?: string | number | boolean | null;
  /** The column's state before, so the change can be reversed. */
  readonly existing?: ColumnState;
  readonly allow?: Allow;
}
export interface RenameColumnOp {
  readonly kind: "renameColumn";
  readonly table: string;
  readonly column: string;
  readonly newName: string;
  readonly allow?: Allow;
}
export interface CreateIndexOp {
  readonly kind: "createIndex";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly IndexColumn[];
  readonly unique?: boolean;
  /** Predicate of a partial index. */
  readonly where?: string;
  readonly concurrently?: boolean;
  /** Access method: btree (default), hash, gin, gist, brin, … */
  readonly method?: string;
  readonly include?: readonly string[];
  readonly ifNotExists?: boolean;
  readonly allow?: Allow;
}
export interface DropIndexOp {
  readonly kind: "dropIndex";
  /** May be qualified as `schema.index`. */
  readonly name: string;
  readonly concurrently?: boolean;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: Omit<CreateIndexOp, "kind" | "name" | "concurrently" | "ifNotExists">;
  readonly allow?: Allow;
}
export interface CreateForeignKeyOp {
  readonly kind: "createForeignKey";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly refTable: string;
  readonly refColumns: readonly string[];
  readonly onDelete?: FkAction;
  readonly onUpdate?: FkAction;
  readonly deferrable?: boolean;
  /** Add without checking existing rows; VALIDATE CONSTRAINT later. */
  readonly notValid?: boolean;
  readonly allow?: Allow;
}
export interface CreateUniqueConstraintOp {
  readonly kind: "createUniqueConstraint";
  readonly name: string;
  readonly table: string;
  readonly columns: readonly string[];
  /** Promote an existing unique index (built CONCURRENTLY) instead of building one under lock. */
  readonly usingIndex?: string;
  readonly allow?: Allow;
}
export interface CreateCheckConstraintOp {
  readonly kind: "createCheckConstraint";
  readonly name: string;
  readonly table: string;
  readonly expression: string;
  readonly notValid?: boolean;
  readonly allow?: Allow;
}
export interface CreatePrimaryKeyOp {
  readonly kind: "createPrimaryKey";
  readonly name?: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly usingIndex?: string;
  readonly allow?: Allow;
}
export interface ValidateConstraintOp {
  readonly kind: "validateConstraint";
  readonly name: string;
  readonly table: string;
  readonly allow?: Allow;
}
type ConstraintBody<T> = Omit<T, "kind" | "name" | "table" | "allow">;
/** A dropped constraint's definition, tagged with its type, so the drop can be reversed. */
export type ExistingConstraint =
  | ({ readonly type: "foreignKey" } & ConstraintBody<CreateForeignKeyOp>)
  | ({ readonly type: "unique" } & ConstraintBody<CreateUniqueConstraintOp>)
  | ({ readonly type: "check" } & ConstraintBody<CreateCheckConstraintOp>)
  | ({ readonly type: "primaryKey" } & ConstraintBody<CreatePrimaryKeyOp>);
export interface DropConstraintOp {
  readonly kind: "dropConstraint";
  readonly name: string;
  readonly table: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  /** The constraint as it was, so the drop can be reversed. */
  readonly existing?: ExistingConstraint;
  readonly allow?: Allow;
}
export interface CreateEnumOp {
  readonly kind: "createEnum";
  readonly name: string;
  readonly values: readonly string[];
  readonly allow?: Allow;
}
export interface AddEnumValueOp {
  readonly kind: "addEnumValue";
  readonly enum: string;
  readonly value: string;
  /** Default true: re-running the statement is harmless. */
  readonly ifNotExists?: boolean;
  readonly before?: string;
  readonly after?: string;
  readonly allow?: Allow;
}
export interface DropEnumOp {
  readonly kind: "dropEnum";
  readonly name: string;
  readonly ifExists?: boolean;
  readonly cascade?: boolean;
  readonly existing?: { readonly values: readonly string[] };
  readonly allow?: Allow;
}

/** A row-level security policy's body (CREATE POLICY name ON table …). */
export interface PolicySpec {
  /** Default: permissive. */
  readonly as?: "permissive" | "restrictive";
  /** Default: all. */
  readonly for?: "all" | "select" | "insert" | "update" | "delete";
  /** Role names; `public`, `current_user`, `current_role`, `session_user` as written. Default: public. */
  readonly to?: readonly string[];
  /** The USING expression. */
  readonly using?: string;
  /** The WITH CHECK expression. */
  readonly withCheck?: string;
}
export interface CreatePolicyOp extends PolicySpec {
  readonly kind: "createPolicy";
  readonly name: string;
  readonly table: string;
  readonly allow?: Allow;
}
export interface DropPolicyOp {
  readonly kind: "dropPolicy";
  readonly name: string;
  readonly table: string;
  readonly ifExists?: boolean;
  /** The policy as it was, so the drop can be reversed. */
  readonly existing?: PolicySpec;
  readonly allow?: Allow;
}
/** ALTER TABLE … ENABLE ROW LEVEL SECURITY (with `force`, FORCE ROW LEVEL SECURITY: the owner is bound too). */
export interface EnableRowLevelSecurityOp {
  readonly kind: "enableRowLevelSecurity";
  readonly table: string;
  readonly force?: boolean;
  readonly allow?: Allow;
}
/** ALTER TABLE … DISABLE ROW LEVEL SECURITY (with `force`, NO FORCE ROW LEVEL SECURITY). */
export interface DisableRowLevelSecurityOp {
  readonly kind: "disableRowLevelSecurity";
  readonly table: string;
  readonly force?: boolean;
  readonly allow?: Allow;
}
/** A role's attributes, as Drizzle's pgRole declares them. */
export interface RoleOptions {
  readonly createDb?: boolean;
  readonly createRole?: boolean;
  /** Default true, as in PostgreSQL. */
  readonly inherit?: boolean;
}
export interface CreateRoleOp extends RoleOptions {
  readonly kind: "createRole";
  readonly name: string;
  readonly allow?: Allow;
}
export interface AlterRoleOp {
  readonly kind: "alterRole";
  readonly name: string;
  readonly to: RoleOptions;
  /** The attributes before, so the change can be reversed. */
  readonly existing?: RoleOptions;
  readonly allow?: Allow;
}
export interface DropRoleOp {
  readonly kind: "dropRole";
  readonly name: string;
  readonly ifExists?: boolean;
  readonly existing?: RoleOptions;
  readonly allow?: Allow;
}

export type Op =
  | ExecuteOp
  | CreateTableOp
  | DropTableOp
  | RenameTableOp
  | AddColumnOp
  | DropColumnOp
  | AlterColumnOp
  | RenameColumnOp
  | CreateIndexOp
  | DropIndexOp
  | CreateForeignKeyOp
  | CreateUniqueConstraintOp
  | CreateCheckConstraintOp
  | CreatePrimaryKeyOp
  | ValidateConstraintOp
  | DropConstraintOp
  | CreateEnumOp
  | AddEnumValueOp
  | DropEnumOp
  | CreatePolicyOp
  | DropPolicyOp
  | EnableRowLevelSecurityOp
  | DisableRowLevelSecurityOp
  | CreateRoleOp
  | AlterRoleOp
  | DropRoleOp;

export type OpKind = Op["kind"];
export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

/** PostgreSQL's table lock levels, weakest first. */
export type LockLevel =
  | "NONE"
  | "ACCESS SHARE"
  | "ROW SHARE"
  | "ROW EXCLUSIVE"
  | "SHARE UPDATE EXCLUSIVE"
  | "SHARE"
  | "SHARE ROW EXCLUSIVE"
  | "EXCLUSIVE"
  | "ACCESS EXCLUSIVE";

/** What an op does to a live database, for the checks and the report. */
export interface OpFacts {
  /** The strongest lock taken on an existing table (or type). */
  readonly lock: LockLevel;
  /** The table(s) the lock is taken on. */
  readonly tables: readonly string[];
  /** Whether the table is rewritten (or fully scanned under lock): "maybe" depends on the types. */
  readonly rewrite: boolean | "maybe";
  /** Whether data or an object is lost. */
  readonly destructive: boolean;
  /** Whether PostgreSQL refuses to run it inside a transaction block. */
  readonly noTransaction: boolean;
}
