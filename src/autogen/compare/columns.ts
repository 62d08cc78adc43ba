import type { ColumnSpec, Op } from "../../ops/types.js";
import { quoteIdent, quoteLiteral } from "../../ops/quote.js";
import { typeChangeRewrites } from "../../ops/rewrite.js";
import type { Column, Table } from "../../schema/types.js";
import type { Phase, Placed } from "../order.js";
import { candidateNote, key, opName, place, same, sqlName, type Context } from "./context.js";
import { isEnumType, type EnumFacts } from "./enums.js";
import { columnSpec } from "./objects.js";

/** What the column comparator decides that the constraint, foreign-key, policy, view and comment comparators read. */
export interface ColumnFacts {
  /** `schema.table.column` dropped (or dropped and added again): everything over it goes with it and is recreated. */
  readonly dropped: ReadonlySet<string>;
  /** `schema.table.column` whose type changes: foreign keys, policies and views over them are rebuilt. */
  readonly retyped: ReadonlySet<string>;
  /** `schema.table.column` dropped and added again (identity, generation or serial changes). */
  readonly replaced: ReadonlySet<string>;
}

/** The columns of every kept table: dropped, added, replaced, altered. New and dropped tables are the table comparator's. */
export function compareColumns(ctx: Context, enums: EnumFacts): { changes: Placed[]; facts: ColumnFacts } {
  const out: Placed[] = [];
  const dropped = new Set<string>();
  const retyped = new Set<string>();
  const replaced = new Set<string>();
  const specA = (t: Table, c: Column) => columnSpec(t, c, ctx.a, ctx.aSerials);
  const specB = (t: Table, c: Column) => columnSpec(t, c, ctx.b, ctx.bSerials);

  const dropColumn = (t: Table, c: Column, why: string[] = []) => {
    const table = opName(t);
    dropped.add(`${key(t)}.${c.name}`);
    out.push(
      place("dropColumns", {
        op: { kind: "dropColumn", table, column: c.name, existing: specA(t, c) },
        undo: [
          { kind: "addColumn", table, column: specA(t, c) },
          ...(c.comment !== null ? [{ kind: "execute", sql: `COMMENT ON COLUMN ${sqlName(t)}.${quoteIdent(c.name)} IS ${quoteLiteral(c.comment)}` } as Op] : []),
        ],
        review: ["destructive: drops the column and its data.", ...why, ...(candidateNote(ctx, "column", t, c.name) ?? [])],
        summary: `drop column ${table}.${c.name}`,
      }),
    );
  };

  const addColumn = (t: Table, c: Column, replacing = false) => {
    const table = opName(t);
    const spec = specB(t, c);
    const needsBackfill = spec.nullable === false && spec.serverDefault === undefined && !spec.identity && !spec.generated && !/serial$/.test(spec.type);
    const review = replacing ? [] : candidateNote(ctx, "column", t, c.name) ?? [];
    if (needsBackfill) {
      const col = quoteIdent(c.name);
      out.push(
        place("columns", {
          op: { kind: "addColumn", table, column: { ...spec, nullable: true } },
          review: [
            `${table}.${c.name} is NOT NULL in the model but has no default: it is added nullable so this runs on a table with rows.`,
            "Fill it in and set NOT NULL (below), or give the column a default in the model.",
            ...review,
          ],
          todo: [`op.execute(\`UPDATE ${sqlName(t)} SET ${col} = /* value */ WHERE ${col} IS NULL\`);`, `op.alterColumn(${JSON.stringify(table)}, ${JSON.stringify(c.name)}, { nullable: false });`],
          summary: `add column ${table}.${c.name} (${c.type}, nullable until backfilled)`,
        }),
      );
    } else {
      out.push(place("columns", { op: { kind: "addColumn", table, column: spec }, review: review.length ? review : undefined, summary: `add column ${table}.${c.name} (${spec.type})` }));
    }
  };

  const alterColumn = (t: Table, a: Column, b: Column) => {
    const table = opName(t);
    const typeOf = (c: Column) => (c.collation ? `${c.type} COLLATE ${c.collation}` : c.type);
    const retype = typeOf(a) !== typeOf(b);
    const defaultChanges = a.default !== b.default && !(enums.defaults.has(`${key(t)}.${b.name}`) && !retype);
    const review: string[] = [];
    // A column leaving an enum that is recreated changes type before the recreation, so the undo runs after it.
    const phase: Phase = retype && enums.recreated.has(a.type.replace(/(\[\])+$/, "")) ? "dropColumns" : "columns";
    if (retype) {
      retyped.add(`${key(t)}.${b.name}`);
      // A looser limit (varchar widening, varchar → text, more numeric digits) is made without a rewrite: nothing to review.
      if (typeChangeRewrites(typeOf(a), typeOf(b))) {
        review.push(`type change ${typeOf(a)} → ${typeOf(b)}: may rewrite the table under an exclusive lock; check that the USING cast fits the data.`);
      }
      if (a.default !== null) {
        // The old default may not cast to the new type: drop it before, set the new one after.
        out.push(
          place(phase, {
            op: { kind: "alterColumn", table, column: b.name, serverDefault: null, existing: { serverDefault: a.default } },
            summary: `drop default of ${table}.${b.name} before its type changes`,
          }),
        );
      }
    }
    if (a.nullable && !b.nullable) review.push(`SET NOT NULL fails while any row of ${table} holds NULL in ${b.name}; backfill first.`);
    const op: Op = {
      kind: "alterColumn",
      table,
      column: b.name,
      ...(retype ? { type: typeOf(b), using: `${quoteIdent(b.name)}${isEnumType(a.type, ctx.a.enums) ? "::text" : ""}::${typeOf(b)}` } : {}),
      ...(a.nullable !== b.nullable ? { nullable: b.nullable } : {}),
      ...(defaultChanges || (retype && a.default !== null) ? { serverDefault: b.default } : {}),
      existing: {
        ...(retype ? { type: typeOf(a), ...(isEnumType(b.type, ctx.b.enums) ? { using: `${quoteIdent(b.name)}::text::${typeOf(a)}` } : {}) } : {}),
        ...(a.nullable !== b.nullable ? { nullable: a.nullable } : {}),
        ...(defaultChanges || (retype && a.default !== null) ? { serverDefault: retype ? null : a.default } : {}),
      },
    };
    if (!retype && a.nullable === b.nullable && !defaultChanges) return;
    const what = [retype ? `type ${typeOf(b)}` : "", a.nullable !== b.nullable ? (b.nullable ? "nullable" : "not null") : "", defaultChanges ? `default ${b.default ?? "none"}` : ""];
    out.push(place(phase, { op, review: review.length ? review : undefined, summary: `alter column ${table}.${b.name}: ${what.filter(Boolean).join(", ")}` }));
  };

  for (const b of ctx.b.tables) {
    const a = ctx.aTables.get(key(b));
    if (!a) continue;
    const bCols = new Map(b.columns.map((c) => [c.name, c]));
    const aCols = new Map(a.columns.map((c) => [c.name, c]));
    for (const c of a.columns) if (!bCols.has(c.name)) dropColumn(a, c);
    for (const c of b.columns) {
      const old = aCols.get(c.name);
      if (!old) {
        addColumn(b, c);
        continue;
      }
      const kindOf = (s: ColumnSpec) => [s.identity ?? null, s.identityOptions ?? null, s.generated ?? null, /serial$/.test(s.type)];
      if (!same(kindOf(specA(a, old)), kindOf(specB(b, c)))) {
        // Identity, generated and serial columns differ in how values are made: replaced, not altered.
        replaced.add(`${key(b)}.${c.name}`);
        dropColumn(a, old, ["the column's identity, generation or serial default changes: it is dropped and added again."]);
        addColumn(b, c, true);
        continue;
      }
      alterColumn(b, old, c);
    }
  }
  return { changes: out, facts: { dropped, retyped, replaced } };
}
