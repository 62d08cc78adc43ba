import type { ColumnSpec, CreateTableOp, ExistingConstraint, FkAction as OpFkAction, IdentityOptions, Op } from "../ops/types.js";
import { reverseOp } from "../ops/definitions.js";
import { quoteIdent, quoteLiteral } from "../ops/quote.js";
import { typeChangeRewrites } from "../ops/rewrite.js";
import type { CheckConstraint, Column, EnumType, ForeignKey, Index, Schema, Sequence, Table, UniqueConstraint, View } from "../schema/types.js";
import { applyRenames, findRenameCandidates, type Rename, type RenameCandidate } from "./renames.js";
import { compareRoles, compareRowSecurity, rowSecurityOps } from "./policies.js";
import type { Change } from "./change.js";

export type { Change } from "./change.js";

export interface DiffOptions {
  /** Renames decided ahead (`--rename products.sku=article_no`). */
  renames?: readonly Rename[];
}

export interface DiffResult {
  readonly changes: readonly Change[];
  /** Renames that were applied (given or confirmed). */
  readonly renames: readonly Rename[];
  /** Rename candidates left undecided: written as drop + add with a REVIEW naming them. */
  readonly candidates: readonly RenameCandidate[];
}

/** `products` in public, `sales.orders` elsewhere: how ops name tables and types. */
export function opName(x: { schema: string; name: string }): string {
  return x.schema === "public" ? x.name : `${x.schema}.${x.name}`;
}

/** An identifier or qualified name as SQL. */
function sqlName(x: { schema: string; name: string }): string {
  return x.schema === "public" ? quoteIdent(x.name) : `${quoteIdent(x.schema)}.${quoteIdent(x.name)}`;
}

const key = (x: { schema: string; name: string }) => `${x.schema}.${x.name}`;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The changes that turn database `current` into `desired`, ordered so each
 * runs after what it depends on: schemas and enum values first, foreign keys
 * and indexes dropped before their tables and columns, tables created before
 * the columns, constraints and foreign keys that use them, views last.
 *
 * @example
 * const { changes } = diffSchemas(await introspect(db), model.schema);
 * const { upgrade, downgrade } = renderChanges(changes);
 */
export function diffSchemas(current: Schema, desired: Schema, opts: DiffOptions = {}): DiffResult {
  const renames = [...(opts.renames ?? [])];
  const a = applyRenames(current, renames);
  const b = desired;
  const candidates = findRenameCandidates(a, b);
  const d = new Differ(a, b, candidates);
  for (const r of renames) d.rename(r);
  d.run();
  return { changes: d.ordered(), renames, candidates };
}

/** The order changes run in (see diffSchemas). */
const PHASES = [
  "schemas",
  "roles",
  "renames",
  "enums",
  "dropViews",
  "dropPolicies",
  "dropForeignKeys",
  "dropConstraints",
  "dropTables",
  "dropColumns",
  "recreateEnums",
  "createSequences",
  "createTables",
  "columns",
  "dropEnums",
  "createConstraints",
  "createForeignKeys",
  "createPolicies",
  "createViews",
  "comments",
] as const;
type Phase = (typeof PHASES)[number];

class Differ {
  private readonly phases = new Map<Phase, Change[]>(PHASES.map((p) => [p, []]));
  private readonly aTables: Map<string, Table>;
  private readonly bTables: Map<string, Table>;
  /** Sequences that belong to a serial column (written as `serial`, not as a sequence). */
  private readonly aSerials: Set<string>;
  private readonly bSerials: Set<string>;
  /** Tables whose keys (primary key, unique constraint or index) are dropped: foreign keys to them are rebuilt. */
  private readonly keysDropped = new Set<string>();
  /** `table.column` whose type changes: foreign keys over them are rebuilt. */
  private readonly retyped = new Set<string>();
  /** `table.column` dropped (or dropped and added again): everything over it goes with it and is recreated. */
  private readonly droppedColumns = new Set<string>();
  /** `table.column` whose default the recreation of its enum sets (so the column's own diff leaves it alone). */
  private readonly enumDefaults = new Set<string>();
  /** Enums recreated between the drops and the additions (format_type names). */
  private readonly recreatedEnums = new Set<string>();

  constructor(
    private readonly a: Schema,
    private readonly b: Schema,
    private readonly candidates: readonly RenameCandidate[],
  ) {
    this.aTables = new Map(a.tables.map((t) => [key(t), t]));
    this.bTables = new Map(b.tables.map((t) => [key(t), t]));
    this.aSerials = serialSequences(a);
    this.bSerials = serialSequences(b);
  }

  private add(phase: Phase, change: Change): void {
    this.phases.get(phase)!.push(change);
  }

  ordered(): Change[] {
    return PHASES.flatMap((p) => this.phases.get(p)!);
  }

  rename(r: Rename): void {
    const table = `${r.schema === "public" ? "" : `${r.schema}.`}${r.table}`;
    if (r.column === undefined) {
      this.add("renames", { op: { kind: "renameTable", table, newName: r.to }, summary: `rename table ${table} to ${r.to}` });
    } else {
      this.add("renames", { op: { kind: "renameColumn", table, column: r.column, newName: r.to }, summary: `rename column ${table}.${r.column} to ${r.to}` });
    }
  }

  run(): void {
    const { a, b } = this;
    for (const s of b.schemas) {
      if (!a.schemas.includes(s)) {
        this.add("schemas", execute(`CREATE SCHEMA ${quoteIdent(s)}`, `DROP SCHEMA ${quoteIdent(s)}`, `create schema ${s}`));
      }
    }
    // Extensions are only ever added: one the model does not mention may be the DBA's.
    for (const e of b.extensions) {
      if (!a.extensions.some((x) => x.name === e.name)) {
        this.add(
          "schemas",
          execute(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`, `DROP EXTENSION ${quoteIdent(e.name)}`, `create extension ${e.name}`),
        );
      }
    }
    for (const c of compareRoles(a, b)) this.add("roles", c);
    this.enums();
    this.sequences();
    this.tables();
    this.rowSecurity();
    this.views();
  }

  /** After tables: which columns are dropped or retyped is known then. */
  private rowSecurity(): void {
    for (const t of this.b.tables) {
      const old = this.aTables.get(key(t)) ?? null;
      const touched = !!old && old.columns.some((c) => this.droppedColumns.has(`${key(t)}.${c.name}`) || this.retyped.has(`${key(t)}.${c.name}`));
      const { drops, creates } = compareRowSecurity(old, t, touched);
      for (const c of drops) this.add("dropPolicies", c);
      for (const c of creates) this.add("createPolicies", c);
    }
  }

  // --- enums ---------------------------------------------------------------

  private enums(): void {
    const aEnums = new Map(this.a.enums.map((e) => [key(e), e]));
    const bEnums = new Map(this.b.enums.map((e) => [key(e), e]));
    for (const e of this.b.enums) {
      const old = aEnums.get(key(e));
      if (!old) {
        this.add("enums", { op: { kind: "createEnum", name: opName(e), values: e.values }, summary: `create enum ${opName(e)} (${e.values.join(", ")})` });
        this.comment("enum", e, null, e.comment, `TYPE ${sqlName(e)}`);
        continue;
      }
      this.comment("enum", e, old.comment, e.comment, `TYPE ${sqlName(e)}`);
      if (same(old.values, e.values)) continue;
      const kept = e.values.filter((v) => old.values.includes(v));
      const onlyAdded = same(kept, old.values);
      if (onlyAdded && !this.usesNewValues(e, e.values.filter((v) => !old.values.includes(v)))) {
        const added = e.values.filter((v) => !old.values.includes(v));
        added.forEach((v, n) => {
          const i = e.values.indexOf(v);
          // After its predecessor (already there, old or just added); the first value goes before the first old one.
          const position = i > 0 ? { after: e.values[i - 1] } : { before: e.values.find((x) => old.values.includes(x))! };
          // PostgreSQL cannot drop an enum value: the downgrade leaves the added values in place (verify notes it, not a failure).
          const change: Change = {
            op: { kind: "addEnumValue", enum: opName(e), value: v, ifNotExists: true, ...position },
            undo: [],
            summary: `add value '${v}' to enum ${opName(e)}`,
            ...(n === added.length - 1
              ? { downgradeNote: [`${added.map((x) => `'${x}'`).join(", ")} stay${added.length > 1 ? "" : "s"} in enum ${opName(e)}: PostgreSQL cannot drop an enum value, and rows may hold it.`] }
              : {}),
          };
          this.add("enums", change);
        });
        continue;
      }
      const removed = old.values.filter((v) => !e.values.includes(v));
      this.recreatedEnums.add(qualifiedTypeName(e));
      this.add("recreateEnums", {
        op: this.recreateEnum(e, e.values, "b", "kept"),
        undo: [this.recreateEnum(e, old.values, "a", "kept")],
        review: [
          removed.length
            ? `PostgreSQL cannot drop enum values: this recreates ${opName(e)} without ${removed.map((v) => `'${v}'`).join(", ")}. Update rows that hold them first, or it fails.`
            : `PostgreSQL cannot reorder enum values: this recreates ${opName(e)} in the new order.`,
          `If this is a rename of values, use ALTER TYPE … RENAME VALUE instead.`,
        ],
        summary: `recreate enum ${opName(e)} (${old.values.join(", ")} → ${e.values.join(", ")})`,
      });
    }
    for (const e of this.a.enums) {
      if (bEnums.has(key(e))) continue;
      this.add("dropEnums", {
        op: { kind: "dropEnum", name: opName(e), existing: { values: e.values } },
        review: ["destructive: drops the enum type."],
        summary: `drop enum ${opName(e)}`,
      });
    }
  }

  /** Whether a column type is one of the current (`a`) or desired (`b`) schema's enums (arrays included): casts from it go through text. */
  private isEnumType(type: string, schema: "a" | "b"): boolean {
    const base = type.replace(/(\[\])+$/, "");
    return this[schema].enums.some((e) => qualifiedTypeName(e) === base);
  }

  /** Whether new enum values are used by a default or predicate of the desired schema (ADD VALUE's values are unusable until commit). */
  private usesNewValues(e: EnumType, values: readonly string[]): boolean {
    const texts = this.b.tables.flatMap((t) => [
      ...t.columns.map((c) => c.default ?? ""),
      ...t.checks.map((c) => c.definition),
      ...t.indexes.map((i) => i.definition),
    ]);
    return values.some((v) => texts.some((text) => text.includes(`${quoteLiteral(v)}::`)));
  }

  /**
   * SQL that recreates an enum with the values `to`, converting the columns
   * that use it through text; their defaults are set as in schema `defaults`
   * (the current one when undoing, the desired one when upgrading). The
   * columns are those of the current schema: `kept` when it runs between the
   * drops and the additions, `all` when it runs on the current schema whole.
   */
  private recreateEnum(e: EnumType, to: readonly string[], defaults: "a" | "b", columns: "kept" | "all"): Op {
    const old = `${e.name.slice(0, 50)}_sluice_old`;
    const oldName = e.schema === "public" ? quoteIdent(old) : `${quoteIdent(e.schema)}.${quoteIdent(old)}`;
    const lines = [`ALTER TYPE ${sqlName(e)} RENAME TO ${quoteIdent(old)};`, `CREATE TYPE ${sqlName(e)} AS ENUM (${to.map(quoteLiteral).join(", ")});`];
    for (const t of this.a.tables) {
      const bt = this.bTables.get(key(t));
      if (columns === "kept" && !bt) continue;
      for (const c of t.columns) {
        const bc = bt?.columns.find((x) => x.name === c.name);
        // Between drops and additions: columns that change to another type have changed already (see alterColumn).
        if (columns === "kept" && (!bc || bc.type !== c.type)) continue;
        const array = /(\[\])+$/.exec(c.type)?.[0] ?? "";
        const base = c.type.slice(0, c.type.length - array.length);
        if (base !== qualifiedTypeName(e)) continue;
        const col = quoteIdent(c.name);
        let def = c.default;
        if (defaults === "b" && bc) {
          // The desired default, when the column keeps this type; otherwise the column's own diff sets it.
          def = bc.type === c.type ? bc.default : null;
          if (bc.type === c.type) this.enumDefaults.add(`${key(t)}.${c.name}`);
        }
        const actions = [
          `ALTER COLUMN ${col} DROP DEFAULT`,
          `ALTER COLUMN ${col} TYPE ${sqlName(e)}${array} USING ${col}::text${array}::${sqlName(e)}${array}`,
          ...(def !== null ? [`ALTER COLUMN ${col} SET DEFAULT ${def}`] : []),
        ];
        lines.push(`ALTER TABLE ${sqlName(t)} ${actions.join(", ")};`);
      }
    }
    lines.push(`DROP TYPE ${oldName};`);
    return { kind: "execute", sql: lines.join("\n") };
  }

  // --- sequences -------------------------------------------------------------

  private sequences(): void {
    const standalone = (s: Schema, serials: Set<string>) => new Map(s.sequences.filter((q) => !serials.has(key(q))).map((q) => [key(q), q]));
    const aSeqs = standalone(this.a, this.aSerials);
    const bSeqs = standalone(this.b, this.bSerials);
    for (const [k, s] of bSeqs) {
      const old = aSeqs.get(k);
      if (!old) {
        this.add("createSequences", execute(createSequence(s), `DROP SEQUENCE ${sqlName(s)}`, `create sequence ${opName(s)}`));
        if (s.ownedBy) this.add("createForeignKeys", execute(ownedBy(s, s.ownedBy), ownedBy(s, null), `sequence ${opName(s)} owned by ${s.ownedBy.table}.${s.ownedBy.column}`));
        this.comment("sequence", s, null, s.comment, `SEQUENCE ${sqlName(s)}`);
        continue;
      }
      const alter = alterSequence(old, s);
      if (alter) this.add("createSequences", execute(alter, alterSequence(s, old)!, `alter sequence ${opName(s)}`));
      if (!same(old.ownedBy, s.ownedBy)) this.add("createForeignKeys", execute(ownedBy(s, s.ownedBy), ownedBy(s, old.ownedBy), `sequence ${opName(s)} owner`));
      this.comment("sequence", s, old.comment, s.comment, `SEQUENCE ${sqlName(s)}`);
    }
    for (const [k, s] of aSeqs) {
      if (bSeqs.has(k)) continue;
      this.add("dropEnums", {
        ...execute(`DROP SEQUENCE ${sqlName(s)}`, createSequence(s), `drop sequence ${opName(s)}`),
        review: ["destructive: drops the sequence (and its current value)."],
      });
    }
  }

  // --- tables ----------------------------------------------------------------

  private tables(): void {
    for (const t of this.b.tables) {
      const old = this.aTables.get(key(t));
      if (old) this.alterTable(old, t);
      else this.createTable(t);
    }
    for (const t of this.a.tables) if (!this.bTables.has(key(t))) this.dropTable(t);
    this.foreignKeys();
  }

  private columnSpec(t: Table, c: Column, schema: "a" | "b"): ColumnSpec {
    return columnSpec(t, c, schema === "a" ? this.a : this.b, schema === "a" ? this.aSerials : this.bSerials);
  }

  private createTableOp(t: Table, schema: "a" | "b"): CreateTableOp {
    const pk = t.primaryKey;
    return {
      kind: "createTable",
      table: opName(t),
      columns: t.columns.map((c) => this.columnSpec(t, c, schema)),
      ...(pk ? { primaryKey: pk.columns } : {}),
      ...(pk && pk.name !== defaultPkName(t.name) ? { primaryKeyName: pk.name } : {}),
    };
  }

  private createTable(t: Table): void {
    this.add("createTables", { op: this.createTableOp(t, "b"), summary: `create table ${opName(t)}`, review: this.candidateNote("table", t) });
    this.comment("table", t, null, t.comment, `TABLE ${sqlName(t)}`);
    for (const c of t.columns) this.comment("column", t, null, c.comment, `COLUMN ${sqlName(t)}.${quoteIdent(c.name)}`);
    this.tableObjects(null, t);
  }

  private dropTable(t: Table): void {
    const { kind: _k, ...existing } = this.createTableOp(t, "a");
    const restore: Op[] = [{ kind: "createTable", ...existing }];
    for (const x of t.uniques) restore.push(createUnique(t, x));
    for (const x of t.checks) restore.push(createCheck(t, x));
    for (const x of t.exclusions) restore.push(addConstraintSql(t, x.name, x.definition));
    for (const x of t.indexes) restore.push(createIndex(t, x));
    for (const fk of t.foreignKeys) if (this.goesWithTable(t, fk)) restore.push(fkOp(t, fk));
    restore.push(...rowSecurityOps(t));
    this.comments(restore, t);
    this.add("dropTables", {
      op: { kind: "dropTable", table: opName(t), existing },
      undo: restore,
      review: ["destructive: drops the table and every row in it.", ...(this.candidateNote("table", t) ?? [])],
      summary: `drop table ${opName(t)}`,
    });
  }

  /** Comments of a dropped table, restored by its undo. */
  private comments(restore: Op[], t: Table): void {
    if (t.comment !== null) restore.push({ kind: "execute", sql: `COMMENT ON TABLE ${sqlName(t)} IS ${quoteLiteral(t.comment)}` });
    for (const c of t.columns) {
      if (c.comment !== null) restore.push({ kind: "execute", sql: `COMMENT ON COLUMN ${sqlName(t)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}` });
    }
  }

  private alterTable(a: Table, b: Table): void {
    const table = opName(b);
    this.comment("table", b, a.comment, b.comment, `TABLE ${sqlName(b)}`);
    const bCols = new Map(b.columns.map((c) => [c.name, c]));
    const aCols = new Map(a.columns.map((c) => [c.name, c]));
    for (const c of a.columns) {
      if (bCols.has(c.name)) continue;
      this.dropColumn(a, c);
    }
    for (const c of b.columns) {
      const old = aCols.get(c.name);
      if (!old) {
        this.addColumn(b, c);
        continue;
      }
      const sa = this.columnSpec(a, old, "a");
      const sb = this.columnSpec(b, c, "b");
      const kindOf = (s: ColumnSpec) => [s.identity ?? null, s.identityOptions ?? null, s.generated ?? null, /serial$/.test(s.type)];
      if (!same(kindOf(sa), kindOf(sb))) {
        // Identity, generated and serial columns differ in how values are made: replaced, not altered.
        this.dropColumn(a, old, ["the column's identity, generation or serial default changes: it is dropped and added again."]);
        this.addColumn(b, c, true);
        continue;
      }
      this.alterColumn(b, old, c);
      this.comment("column", b, old.comment, c.comment, `COLUMN ${sqlName(b)}.${quoteIdent(c.name)}`);
    }
    void table;
    this.tableObjects(a, b);
  }

  private dropColumn(t: Table, c: Column, why: string[] = []): void {
    const table = opName(t);
    this.droppedColumns.add(`${key(t)}.${c.name}`);
    this.add("dropColumns", {
      op: { kind: "dropColumn", table, column: c.name, existing: this.columnSpec(t, c, "a") },
      undo: [
        { kind: "addColumn", table, column: this.columnSpec(t, c, "a") },
        ...(c.comment !== null ? [{ kind: "execute", sql: `COMMENT ON COLUMN ${sqlName(t)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}` } as Op] : []),
      ],
      review: ["destructive: drops the column and its data.", ...why, ...(this.candidateNote("column", t, c.name) ?? [])],
      summary: `drop column ${table}.${c.name}`,
    });
  }

  private addColumn(t: Table, c: Column, replacing = false): void {
    const table = opName(t);
    const spec = this.columnSpec(t, c, "b");
    const needsBackfill = spec.nullable === false && spec.serverDefault === undefined && !spec.identity && !spec.generated && !/serial$/.test(spec.type);
    const review = replacing ? [] : this.candidateNote("column", t, c.name) ?? [];
    if (needsBackfill) {
      const col = quoteIdent(c.name);
      this.add("columns", {
        op: { kind: "addColumn", table, column: { ...spec, nullable: true } },
        review: [
          `${table}.${c.name} is NOT NULL in the model but has no default: it is added nullable so this runs on a table with rows.`,
          "Fill it in and set NOT NULL (below), or give the column a default in the model.",
          ...review,
        ],
        todo: [
          `op.execute(\`UPDATE ${sqlName(t)} SET ${col} = /* value */ WHERE ${col} IS NULL\`);`,
          `op.alterColumn(${JSON.stringify(table)}, ${JSON.stringify(c.name)}, { nullable: false });`,
        ],
        summary: `add column ${table}.${c.name} (${c.type}, nullable until backfilled)`,
      });
    } else {
      this.add("columns", { op: { kind: "addColumn", table, column: spec }, review: review.length ? review : undefined, summary: `add column ${table}.${c.name} (${spec.type})` });
    }
    this.comment("column", t, null, c.comment, `COLUMN ${sqlName(t)}.${quoteIdent(c.name)}`);
  }

  private alterColumn(t: Table, a: Column, b: Column): void {
    const table = opName(t);
    const typeOf = (c: Column) => (c.collation ? `${c.type} COLLATE ${c.collation}` : c.type);
    const retype = typeOf(a) !== typeOf(b);
    const defaultChanges = a.default !== b.default && !(this.enumDefaults.has(`${key(t)}.${b.name}`) && !retype);
    const review: string[] = [];
    // A column leaving an enum that is recreated changes type before the recreation, so the undo runs after it.
    const phase: Phase = retype && this.recreatedEnums.has(a.type.replace(/(\[\])+$/, "")) ? "dropColumns" : "columns";
    if (retype) {
      this.retyped.add(`${key(t)}.${b.name}`);
      // A looser limit (varchar widening, varchar → text, more numeric digits) is made without a rewrite: nothing to review.
      if (typeChangeRewrites(typeOf(a), typeOf(b))) {
        review.push(`type change ${typeOf(a)} → ${typeOf(b)}: may rewrite the table under an exclusive lock; check that the USING cast fits the data.`);
      }
      if (a.default !== null) {
        // The old default may not cast to the new type: drop it before, set the new one after.
        this.add(phase, {
          op: { kind: "alterColumn", table, column: b.name, serverDefault: null, existing: { serverDefault: a.default } },
          summary: `drop default of ${table}.${b.name} before its type changes`,
        });
      }
    }
    if (a.nullable && !b.nullable) review.push(`SET NOT NULL fails while any row of ${table} holds NULL in ${b.name}; backfill first.`);
    const op: Op = {
      kind: "alterColumn",
      table,
      column: b.name,
      ...(retype ? { type: typeOf(b), using: `${quoteIdent(b.name)}${this.isEnumType(a.type, "a") ? "::text" : ""}::${typeOf(b)}` } : {}),
      ...(a.nullable !== b.nullable ? { nullable: b.nullable } : {}),
      ...(defaultChanges || (retype && a.default !== null) ? { serverDefault: b.default } : {}),
      existing: {
        ...(retype ? { type: typeOf(a), ...(this.isEnumType(b.type, "b") ? { using: `${quoteIdent(b.name)}::text::${typeOf(a)}` } : {}) } : {}),
        ...(a.nullable !== b.nullable ? { nullable: a.nullable } : {}),
        ...(defaultChanges || (retype && a.default !== null) ? { serverDefault: retype ? null : a.default } : {}),
      },
    };
    if (!retype && a.nullable === b.nullable && !defaultChanges) return;
    const what = [retype ? `type ${typeOf(b)}` : "", a.nullable !== b.nullable ? (b.nullable ? "nullable" : "not null") : "", defaultChanges ? `default ${b.default ?? "none"}` : ""];
    this.add(phase, { op, review: review.length ? review : undefined, summary: `alter column ${table}.${b.name}: ${what.filter(Boolean).join(", ")}` });
  }

  /** Primary key, unique and check constraints, exclusions and indexes: dropped when gone or changed, created when new or changed. */
  private tableObjects(a: Table | null, b: Table): void {
    const table = opName(b);
    const aPk = a?.primaryKey ?? null;
    const bPk = b.primaryKey;
    if (a && (!same(pkShape(aPk), pkShape(bPk)) || (aPk && this.touchesDropped(a, aPk)))) {
      if (aPk) {
        this.keysDropped.add(key(b));
        this.add("dropConstraints", {
          op: { kind: "dropConstraint", name: aPk.name, table, existing: { type: "primaryKey", columns: aPk.columns } },
          summary: `drop primary key ${aPk.name} of ${table}`,
        });
      }
      if (bPk) this.add("createConstraints", { op: { kind: "createPrimaryKey", name: bPk.name, table, columns: bPk.columns }, summary: `add primary key ${bPk.name} to ${table} (${bPk.columns.join(", ")})` });
    }
    this.named(a?.uniques ?? [], b.uniques, uniqueShape, (x) => createUnique(b, x), (x) => dropConstraint(b, x.name, createUnique(b, x)), "unique constraint", b, true);
    this.named(a?.checks ?? [], b.checks, checkShape, (x) => createCheck(b, x), (x) => dropConstraint(b, x.name, createCheck(b, x)), "check constraint", b, false);
    this.named(
      a?.exclusions ?? [],
      b.exclusions,
      (x) => [x.definition, x.deferrable, x.initiallyDeferred],
      (x) => addConstraintSql(b, x.name, x.definition),
      (x) => dropConstraint(b, x.name, addConstraintSql(b, x.name, x.definition)),
      "exclusion constraint",
      b,
      false,
    );
    this.named(a?.indexes ?? [], b.indexes, indexShape, (x) => createIndex(b, x), (x) => dropIndex(b, x), "index", b, true, (x) => x.unique);
    const commentTarget = (name: string) => `CONSTRAINT ${quoteIdent(name)} ON ${sqlName(b)}`;
    for (const x of [...(bPk ? [bPk] : []), ...b.uniques, ...b.checks, ...b.exclusions]) {
      const old = a && [...(aPk ? [aPk] : []), ...a.uniques, ...a.checks, ...a.exclusions].find((y) => y.name === x.name);
      this.comment("constraint", b, old ? old.comment : null, x.comment, commentTarget(x.name), x.name);
    }
    for (const x of b.indexes) {
      const old = a?.indexes.find((y) => y.name === x.name);
      this.comment("index", { schema: b.schema, name: x.name }, old ? old.comment : null, x.comment, `INDEX ${sqlName({ schema: b.schema, name: x.name })}`);
    }
  }

  private named<T extends { name: string }>(
    as: readonly T[],
    bs: readonly T[],
    shape: (x: T) => unknown,
    create: (x: T) => Op,
    drop: (x: T) => Op,
    what: string,
    t: Table,
    isKey: boolean,
    keyIf: (x: T) => boolean = () => true,
  ): void {
    const table = opName(t);
    for (const x of as) {
      const y = bs.find((z) => z.name === x.name);
      if (y && same(shape(x), shape(y)) && !this.touchesDropped(t, x)) continue;
      if (isKey && keyIf(x)) this.keysDropped.add(key(t));
      // A drop written as SQL (an index with an operator class, a deferrable constraint) is undone by its create.
      const op = drop(x);
      this.add("dropConstraints", { op, ...(reverseOp(op) ? {} : { undo: [create(x)] }), summary: `drop ${what} ${x.name} on ${table}` });
    }
    for (const y of bs) {
      const x = as.find((z) => z.name === y.name);
      if (x && same(shape(x), shape(y)) && !this.touchesDropped(t, x)) continue;
      // A create written as SQL is undone by its drop.
      const op = create(y);
      this.add("createConstraints", { op, ...(reverseOp(op) ? {} : { undo: [drop(y)] }), summary: `${x ? "recreate" : "add"} ${what} ${y.name} on ${table}` });
    }
  }

  private foreignKeys(): void {
    const fksOf = (t: Table | undefined) => t?.foreignKeys ?? [];
    for (const t of new Set([...this.aTables.keys(), ...this.bTables.keys()])) {
      const a = this.aTables.get(t);
      const b = this.bTables.get(t);
      const table = opName((b ?? a)!);
      for (const fk of fksOf(a)) {
        // DROP TABLE takes the table's own foreign keys with it (its undo restores them).
        if (!b && this.goesWithTable(a!, fk)) continue;
        const other = fksOf(b).find((x) => x.name === fk.name);
        if (other && same(fkShape(fk), fkShape(other)) && !this.rebuild(a!, fk)) continue;
        const restore = fkOp(a!, fk);
        this.add("dropForeignKeys", {
          op: dropConstraint(a!, fk.name, restore),
          undo: [restore],
          summary: `drop foreign key ${fk.name} on ${table}`,
        });
      }
      for (const fk of fksOf(b)) {
        const old = fksOf(a).find((x) => x.name === fk.name);
        if (old && same(fkShape(old), fkShape(fk)) && !this.rebuild(a!, old)) continue;
        const refs = `${fk.references.table}(${fk.references.columns.join(", ")})`;
        this.add("createForeignKeys", {
          op: fkOp(b!, fk),
          summary: `add foreign key ${fk.name} on ${table} → ${refs}${fk.onDelete !== "no action" ? ` ON DELETE ${fk.onDelete.toUpperCase()}` : ""}`,
        });
      }
    }
  }

  /**
   * Whether a foreign key of dropped table `t` goes with the DROP TABLE, not
   * as a drop of its own: it references `t` itself, or a kept table whose keys
   * stay (so the downgrade can restore it right after the table). A key into
   * another dropped table, or into one whose key is rebuilt, keeps its own drop
   * so the order of the drops does not matter.
   */
  private goesWithTable(t: Table, fk: ForeignKey): boolean {
    const ref = `${fk.references.schema}.${fk.references.table}`;
    if (ref === key(t)) return true;
    return this.bTables.has(ref) && !this.keysDropped.has(ref);
  }

  /** Whether an object of table `t` (a constraint or index of the current schema) is over a column that is dropped. */
  private touchesDropped(t: Table, x: object): boolean {
    const prefix = `${key(t)}.`;
    const cols = [...this.droppedColumns].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    if (!cols.length) return false;
    const o = x as { columns?: readonly (string | { column?: string })[]; include?: readonly string[]; definition?: string; where?: string | null };
    const names = [...(o.columns ?? []).map((c) => (typeof c === "string" ? c : c.column ?? "")), ...(o.include ?? [])];
    const text = [o.definition ?? "", o.where ?? ""].join(" ");
    return cols.some((c) => names.includes(c) || text.includes(quoteIdent(c)));
  }

  /** A kept foreign key must be dropped and added again when the key it references goes away, or a column under it changes type or is dropped. */
  private rebuild(t: Table, fk: ForeignKey): boolean {
    const ref = `${fk.references.schema}.${fk.references.table}`;
    if (this.keysDropped.has(ref)) return true;
    if (this.touchesDropped(t, fk)) return true;
    if (fk.references.columns.some((c) => this.droppedColumns.has(`${ref}.${c}`))) return true;
    if (fk.columns.some((c) => this.retyped.has(`${key(t)}.${c}`))) return true;
    return fk.references.columns.some((c) => this.retyped.has(`${ref}.${c}`));
  }

  // --- views -----------------------------------------------------------------

  private views(): void {
    const aViews = new Map(this.a.views.map((v) => [key(v), v]));
    const bViews = new Map(this.b.views.map((v) => [key(v), v]));
    const rebuilt = this.viewsToRebuild(aViews, bViews);
    // Dependents are dropped before what they read, and created after it.
    for (const v of dependencyOrder(this.a.views).reverse()) {
      const nv = bViews.get(key(v));
      if (nv && !rebuilt.has(key(v))) continue;
      this.add("dropViews", {
        op: { kind: "execute", sql: `DROP ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)}` },
        undo: createView(v),
        review: nv ? undefined : ["destructive: drops the view."],
        summary: `drop ${v.materialized ? "materialized " : ""}view ${opName(v)}`,
      });
    }
    for (const v of dependencyOrder(this.b.views)) {
      const old = aViews.get(key(v));
      if (old && !rebuilt.has(key(v))) {
        this.comment("view", v, old.comment, v.comment, `${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)}`);
        continue;
      }
      const [create, ...rest] = createView(v);
      this.add("createViews", { op: create, undo: [{ kind: "execute", sql: `DROP ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)}` }], summary: `create ${v.materialized ? "materialized " : ""}view ${opName(v)}` });
      for (const op of rest) this.add("createViews", { op, undo: [], summary: `index or comment of view ${opName(v)}` });
    }
  }

  /**
   * The views kept by name that must be dropped and created again: those whose
   * definition changes, those that read a column that is dropped or changes
   * type (an enum recreated counts), a table that is dropped, or a view that is
   * itself rebuilt. A change elsewhere leaves every view alone.
   */
  private viewsToRebuild(aViews: Map<string, View>, bViews: Map<string, View>): Set<string> {
    const rebuilt = new Set<string>();
    const touched = (v: View) =>
      v.reads.some((r) => {
        const k = key(r);
        if (rebuilt.has(k)) return true;
        const t = this.aTables.get(k);
        if (!t) return aViews.has(k) ? !bViews.has(k) : false;
        if (!this.bTables.has(k)) return true;
        return r.columns.some((c) => {
          if (this.droppedColumns.has(`${k}.${c}`) || this.retyped.has(`${k}.${c}`)) return true;
          const type = t.columns.find((x) => x.name === c)?.type.replace(/(\[\])+$/, "");
          return type !== undefined && this.recreatedEnums.has(type);
        });
      });
    for (const v of dependencyOrder(this.a.views)) {
      const nv = bViews.get(key(v));
      if (nv && (!same(viewShape(v), viewShape(nv)) || touched(v))) rebuilt.add(key(v));
    }
    return rebuilt;
  }

  // --- comments and notes ------------------------------------------------------

  private comment(what: string, x: { schema: string; name: string }, from: string | null, to: string | null, target: string, label?: string): void {
    if (from === to) return;
    const set = (c: string | null) => `COMMENT ON ${target} IS ${c === null ? "NULL" : quoteLiteral(c)}`;
    this.add("comments", execute(set(to), set(from), `comment on ${what} ${label ?? opName(x)}`));
  }

  private candidateNote(kind: "table" | "column", t: Table, column?: string): string[] | undefined {
    const name = opName(t);
    const c = this.candidates.find((x) =>
      kind === "table" ? x.kind === "table" && (x.from === name || x.to === name) : x.kind === "column" && x.table === name && (x.from === column || x.to === column),
    );
    if (!c) return undefined;
    const arg = c.kind === "table" ? `${c.from}=${c.to.split(".").pop()}` : `${c.table}.${c.from}=${c.to}`;
    return [`${c.kind} ${c.kind === "table" ? c.from : `${c.table}.${c.from}`} may have been renamed to ${c.to}: to keep its data, run again with --rename ${arg}.`];
  }
}

// --- ops from Schema objects ---------------------------------------------------

function execute(sql: string, undoSql: string, summary: string): Change {
  return { op: { kind: "execute", sql }, undo: [{ kind: "execute", sql: undoSql }], summary };
}

function defaultPkName(table: string): string {
  return `${table.slice(0, 58)}_pkey`;
}

const SERIAL_TYPES: Record<string, { type: string; max: string }> = {
  integer: { type: "serial", max: "2147483647" },
  bigint: { type: "bigserial", max: "9223372036854775807" },
  smallint: { type: "smallserial", max: "32767" },
};

/** Sequences owned by a column whose default takes from them with PostgreSQL's serial options. */
function serialSequences(s: Schema): Set<string> {
  const out = new Set<string>();
  for (const q of s.sequences) {
    if (!q.ownedBy) continue;
    const t = s.tables.find((x) => x.schema === q.ownedBy!.schema && x.name === q.ownedBy!.table);
    const c = t?.columns.find((x) => x.name === q.ownedBy!.column);
    if (t && c && isSerial(c, q, t)) out.add(key(q));
  }
  return out;
}

function isSerial(c: Column, q: Sequence, t: Table): boolean {
  const serial = SERIAL_TYPES[c.type];
  if (!serial || c.identity || c.default === null) return false;
  const name = q.schema === "public" && t.schema === "public" ? quoteIdent(q.name) : `${quoteIdent(q.schema)}.${quoteIdent(q.name)}`;
  const expected = `nextval(${quoteLiteral(name)}::regclass)`;
  return (
    c.default === expected &&
    q.type === c.type &&
    q.start === "1" &&
    q.increment === "1" &&
    q.min === "1" &&
    q.max === serial.max &&
    q.cache === "1" &&
    !q.cycle
  );
}

function columnSpec(t: Table, c: Column, s: Schema, serials: Set<string>): ColumnSpec {
  const seq = s.sequences.find((q) => serials.has(key(q)) && q.ownedBy?.schema === t.schema && q.ownedBy.table === t.name && q.ownedBy.column === c.name);
  const serial = seq ? SERIAL_TYPES[c.type].type : undefined;
  const spec: { -readonly [K in keyof ColumnSpec]: ColumnSpec[K] } = { name: c.name, type: serial ?? c.type };
  if (!c.nullable) spec.nullable = false;
  if (c.default !== null && !serial) spec.serverDefault = c.default;
  if (c.identity) {
    spec.identity = c.identity.generation;
    const max = SERIAL_TYPES[c.type]?.max;
    const o: { -readonly [K in keyof IdentityOptions]: IdentityOptions[K] } = {};
    if (c.identity.start !== "1") o.start = c.identity.start;
    if (c.identity.increment !== "1") o.increment = c.identity.increment;
    if (c.identity.min !== "1") o.min = c.identity.min;
    if (max !== undefined && c.identity.max !== max) o.max = c.identity.max;
    if (c.identity.cache !== "1") o.cache = c.identity.cache;
    if (c.identity.cycle) o.cycle = true;
    if (Object.keys(o).length) spec.identityOptions = o;
  }
  if (c.generated) spec.generated = c.generated.expression;
  if (c.collation) spec.collation = c.collation.replace(/^"(.*)"$/, "$1").replace(/""/g, '"');
  return spec;
}

function createSequence(s: Sequence): string {
  return `CREATE SEQUENCE ${sqlName(s)} AS ${s.type} INCREMENT BY ${s.increment} MINVALUE ${s.min} MAXVALUE ${s.max} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? " CYCLE" : ""}`;
}

function alterSequence(a: Sequence, b: Sequence): string | undefined {
  const parts: string[] = [];
  if (a.type !== b.type) parts.push(`AS ${b.type}`);
  if (a.increment !== b.increment) parts.push(`INCREMENT BY ${b.increment}`);
  if (a.min !== b.min) parts.push(`MINVALUE ${b.min}`);
  if (a.max !== b.max) parts.push(`MAXVALUE ${b.max}`);
  if (a.start !== b.start) parts.push(`START WITH ${b.start}`);
  if (a.cache !== b.cache) parts.push(`CACHE ${b.cache}`);
  if (a.cycle !== b.cycle) parts.push(b.cycle ? "CYCLE" : "NO CYCLE");
  return parts.length ? `ALTER SEQUENCE ${sqlName(b)} ${parts.join(" ")}` : undefined;
}

function ownedBy(s: Sequence, owner: Sequence["ownedBy"]): string {
  return `ALTER SEQUENCE ${sqlName(s)} OWNED BY ${owner ? `${sqlName({ schema: owner.schema, name: owner.table })}.${quoteIdent(owner.column)}` : "NONE"}`;
}

const pkShape = (pk: Table["primaryKey"]) => (pk ? [pk.name, pk.columns, pk.deferrable, pk.initiallyDeferred] : null);
const uniqueShape = (u: UniqueConstraint) => [u.columns, u.nullsNotDistinct, u.deferrable, u.initiallyDeferred];
const checkShape = (c: CheckConstraint) => [c.definition, c.noInherit];
/** An index without its name and table (pg_get_indexdef from USING on), so a renamed table's index compares equal. */
const indexShape = (i: Index) => [i.definition.slice(i.definition.indexOf(" USING ")), i.unique];
const fkShape = (f: ForeignKey) => [f.columns, f.references, f.onDelete, f.onUpdate, f.match, f.deferrable, f.initiallyDeferred, f.validated];
const viewShape = (v: View) => [v.definition, v.materialized, v.indexes.map((i) => [i.name, indexShape(i)])];

function addConstraintSql(t: Table, name: string, definition: string): Op {
  return { kind: "execute", sql: `ALTER TABLE ${sqlName(t)} ADD CONSTRAINT ${quoteIdent(name)} ${definition}` };
}

function dropConstraint(t: Table, name: string, recreate: Op): Op {
  const existing = existingOf(recreate);
  return { kind: "dropConstraint", name, table: opName(t), ...(existing ? { existing } : {}) };
}

/** The `existing` of a drop, when the op that recreates it is a structured one. */
function existingOf(op: Op): ExistingConstraint | undefined {
  switch (op.kind) {
    case "createUniqueConstraint":
      return { type: "unique", columns: op.columns };
    case "createCheckConstraint":
      return { type: "check", expression: op.expression, ...(op.notValid ? { notValid: true } : {}) };
    case "createForeignKey": {
      const { kind: _k, name: _n, table: _t, allow: _a, ...body } = op;
      return { type: "foreignKey", ...body };
    }
    default:
      return undefined;
  }
}

function createUnique(t: Table, u: UniqueConstraint): Op {
  if (u.nullsNotDistinct || u.deferrable) return addConstraintSql(t, u.name, u.definition);
  return { kind: "createUniqueConstraint", name: u.name, table: opName(t), columns: u.columns };
}

function createCheck(t: Table, c: CheckConstraint): Op {
  const m = /^CHECK \((.*)\)( NOT VALID)?$/s.exec(c.definition);
  if (c.noInherit || !m) return addConstraintSql(t, c.name, c.definition);
  return { kind: "createCheckConstraint", name: c.name, table: opName(t), expression: m[1], ...(m[2] ? { notValid: true } : {}) };
}

/** The text between a balanced pair of outer parentheses, or the text itself. */
function unwrap(text: string): string {
  if (!text.startsWith("(") || !text.endsWith(")")) return text;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    if (depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1);
}

/** What pg_get_indexdef shows that createIndex cannot say: operator classes, ordering, collations, storage parameters. */
function needsIndexSql(i: Index): boolean {
  if (i.nullsNotDistinct || / WITH \(| TABLESPACE | ON ONLY /.test(i.definition)) return true;
  const open = i.definition.indexOf("(", i.definition.indexOf(" USING "));
  let depth = 0;
  let end = open;
  for (; end < i.definition.length; end++) {
    if (i.definition[end] === "(") depth++;
    else if (i.definition[end] === ")" && --depth === 0) break;
  }
  return splitTopLevel(i.definition.slice(open + 1, end)).some((k, n) => {
    const text = k.trim();
    const c = i.columns[n];
    if (c && "column" in c) return text !== quoteIdent(c.column);
    // An expression key ends with its closing parenthesis unless an opclass, ordering or collation follows.
    return !text.endsWith(")");
  });
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quote = !quote;
    if (quote) continue;
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function createIndex(t: Table, i: Index): Op {
  if (needsIndexSql(i)) return { kind: "execute", sql: i.definition };
  return {
    kind: "createIndex",
    name: i.name,
    table: opName(t),
    columns: i.columns.map((c) => ("column" in c ? c.column : { expression: unwrap(c.expression) })),
    ...(i.unique ? { unique: true } : {}),
    ...(i.method !== "btree" ? { method: i.method } : {}),
    ...(i.include.length ? { include: i.include } : {}),
    ...(i.where ? { where: unwrap(i.where) } : {}),
  };
}

function dropIndex(t: Table, i: Index): Op {
  const name = t.schema === "public" ? i.name : `${t.schema}.${i.name}`;
  const create = createIndex(t, i);
  if (create.kind !== "createIndex") return { kind: "execute", sql: `DROP INDEX ${sqlName({ schema: t.schema, name: i.name })}` };
  const { kind: _k, name: _n, ...existing } = create;
  return { kind: "dropIndex", name, existing };
}

const FK_ACTIONS: Record<ForeignKey["onDelete"], OpFkAction | undefined> = {
  "no action": undefined,
  restrict: "RESTRICT",
  cascade: "CASCADE",
  "set null": "SET NULL",
  "set default": "SET DEFAULT",
};

function fkOp(t: Table, fk: ForeignKey): Op {
  if (fk.match !== "simple" || fk.initiallyDeferred) return addConstraintSql(t, fk.name, fk.definition);
  const onDelete = FK_ACTIONS[fk.onDelete];
  const onUpdate = FK_ACTIONS[fk.onUpdate];
  return {
    kind: "createForeignKey",
    name: fk.name,
    table: opName(t),
    columns: fk.columns,
    refTable: opName({ schema: fk.references.schema, name: fk.references.table }),
    refColumns: fk.references.columns,
    ...(onDelete ? { onDelete } : {}),
    ...(onUpdate ? { onUpdate } : {}),
    ...(fk.deferrable ? { deferrable: true } : {}),
    ...(!fk.validated ? { notValid: true } : {}),
  };
}

function createView(v: View): Op[] {
  const ops: Op[] = [{ kind: "execute", sql: `CREATE ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)} AS\n${v.definition.replace(/;\s*$/, "")}` }];
  for (const i of v.indexes) ops.push({ kind: "execute", sql: i.definition });
  if (v.comment !== null) ops.push({ kind: "execute", sql: `COMMENT ON ${v.materialized ? "MATERIALIZED " : ""}VIEW ${sqlName(v)} IS ${quoteLiteral(v.comment)}` });
  return ops;
}

/** Views ordered so each comes after the views it reads (name order otherwise). */
function dependencyOrder(views: readonly View[]): View[] {
  const byKey = new Map(views.map((v) => [key(v), v]));
  const out: View[] = [];
  const seen = new Set<string>();
  const visit = (v: View) => {
    if (seen.has(key(v))) return;
    seen.add(key(v));
    for (const r of v.reads) {
      const dep = byKey.get(key(r));
      if (dep) visit(dep);
    }
    out.push(v);
  };
  views.forEach(visit);
  return out;
}

/** How format_type names an enum in the Schema: bare in public, qualified elsewhere. */
function qualifiedTypeName(e: EnumType): string {
  return e.schema === "public" ? quoteIdent(e.name) : `${quoteIdent(e.schema)}.${quoteIdent(e.name)}`;
}

/** The undo of a change: its own, or the op's reverse. */
export function undoOf(change: Change): readonly Op[] | undefined {
  return change.undo ?? reverseOp(change.op);
}
