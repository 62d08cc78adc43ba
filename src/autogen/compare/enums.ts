import type { Op } from "../../ops/types.js";
import { quoteIdent, quoteLiteral } from "../../ops/quote.js";
import type { EnumType } from "../../schema/types.js";
import type { Change } from "../change.js";
import type { Placed } from "../order.js";
import { key, opName, place, qualifiedTypeName, same, sqlName, type Context } from "./context.js";

/** What the enum comparator decides that the column and view comparators read. */
export interface EnumFacts {
  /** Enums recreated between the drops and the additions (format_type names). */
  readonly recreated: ReadonlySet<string>;
  /** `schema.table.column` whose default the recreation of its enum sets (so the column's own diff leaves it alone). */
  readonly defaults: ReadonlySet<string>;
}

/** Whether a column type is one of a schema's enums (arrays included): casts from it go through text. */
export function isEnumType(type: string, enums: readonly EnumType[]): boolean {
  const base = type.replace(/(\[\])+$/, "");
  return enums.some((e) => qualifiedTypeName(e) === base);
}

/** Enums created, given values, recreated (values removed or reordered) and dropped. */
export function compareEnums(ctx: Context): { changes: Placed[]; facts: EnumFacts } {
  const out: Placed[] = [];
  const recreated = new Set<string>();
  const defaults = new Set<string>();
  const aEnums = new Map(ctx.a.enums.map((e) => [key(e), e]));
  const bEnums = new Map(ctx.b.enums.map((e) => [key(e), e]));
  for (const e of ctx.b.enums) {
    const old = aEnums.get(key(e));
    if (!old) {
      out.push(place("enums", { op: { kind: "createEnum", name: opName(e), values: e.values }, summary: `create enum ${opName(e)} (${e.values.join(", ")})` }));
      continue;
    }
    if (same(old.values, e.values)) continue;
    const kept = e.values.filter((v) => old.values.includes(v));
    const onlyAdded = same(kept, old.values);
    if (onlyAdded && !usesNewValues(ctx, e.values.filter((v) => !old.values.includes(v)))) {
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
        out.push(place("enums", change));
      });
      continue;
    }
    const removed = old.values.filter((v) => !e.values.includes(v));
    recreated.add(qualifiedTypeName(e));
    out.push(
      place("recreateEnums", {
        op: recreateEnum(ctx, e, e.values, "b", defaults),
        undo: [recreateEnum(ctx, e, old.values, "a", defaults)],
        review: [
          removed.length
            ? `PostgreSQL cannot drop enum values: this recreates ${opName(e)} without ${removed.map((v) => `'${v}'`).join(", ")}. Update rows that hold them first, or it fails.`
            : `PostgreSQL cannot reorder enum values: this recreates ${opName(e)} in the new order.`,
          `If this is a rename of values, use ALTER TYPE … RENAME VALUE instead.`,
        ],
        summary: `recreate enum ${opName(e)} (${old.values.join(", ")} → ${e.values.join(", ")})`,
      }),
    );
  }
  for (const e of ctx.a.enums) {
    if (bEnums.has(key(e))) continue;
    out.push(
      place("dropEnums", {
        op: { kind: "dropEnum", name: opName(e), existing: { values: e.values } },
        review: ["destructive: drops the enum type."],
        summary: `drop enum ${opName(e)}`,
      }),
    );
  }
  return { changes: out, facts: { recreated, defaults } };
}

/** Whether new enum values are used by a default or predicate of the desired schema (ADD VALUE's values are unusable until commit). */
function usesNewValues(ctx: Context, values: readonly string[]): boolean {
  const texts = ctx.b.tables.flatMap((t) => [...t.columns.map((c) => c.default ?? ""), ...t.checks.map((c) => c.definition), ...t.indexes.map((i) => i.definition)]);
  return values.some((v) => texts.some((text) => text.includes(`${quoteLiteral(v)}::`)));
}

/**
 * SQL that recreates an enum with the values `to`, converting the kept
 * columns of the current schema that use it through text (it runs between
 * the drops and the additions); their defaults are set as in schema
 * `defaults` (the current one when undoing, the desired one when upgrading;
 * then the columns whose default it sets are added to `setDefaults`).
 */
function recreateEnum(ctx: Context, e: EnumType, to: readonly string[], defaults: "a" | "b", setDefaults: Set<string>): Op {
  const old = `${e.name.slice(0, 50)}_sluice_old`;
  const oldName = sqlName({ schema: e.schema, name: old });
  const lines = [`ALTER TYPE ${sqlName(e)} RENAME TO ${quoteIdent(old)};`, `CREATE TYPE ${sqlName(e)} AS ENUM (${to.map(quoteLiteral).join(", ")});`];
  for (const t of ctx.a.tables) {
    const bt = ctx.bTables.get(key(t));
    if (!bt) continue;
    for (const c of t.columns) {
      const bc = bt.columns.find((x) => x.name === c.name);
      // Between drops and additions: columns that change to another type have changed already (see the column comparator).
      if (!bc || bc.type !== c.type) continue;
      const array = /(\[\])+$/.exec(c.type)?.[0] ?? "";
      const base = c.type.slice(0, c.type.length - array.length);
      if (base !== qualifiedTypeName(e)) continue;
      const col = quoteIdent(c.name);
      let def = c.default;
      if (defaults === "b") {
        def = bc.default;
        setDefaults.add(`${key(t)}.${c.name}`);
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
