import type { Placed } from "../order.js";
import { execute, key, opName, place, same, sqlName, type Context } from "./context.js";
import { alterSequence, createSequence, ownedBy } from "./objects.js";
import type { Schema } from "../../schema/types.js";

/** Sequences that are not a serial column's: created, altered, given an owner (after the tables), dropped. */
export function compareSequences(ctx: Context): Placed[] {
  const out: Placed[] = [];
  const standalone = (s: Schema, serials: ReadonlySet<string>) => new Map(s.sequences.filter((q) => !serials.has(key(q))).map((q) => [key(q), q]));
  const aSeqs = standalone(ctx.a, ctx.aSerials);
  const bSeqs = standalone(ctx.b, ctx.bSerials);
  for (const [k, s] of bSeqs) {
    const old = aSeqs.get(k);
    if (!old) {
      out.push(place("createSequences", execute(createSequence(s), `DROP SEQUENCE ${sqlName(s)}`, `create sequence ${opName(s)}`)));
      if (s.ownedBy) out.push(place("createForeignKeys", execute(ownedBy(s, s.ownedBy), ownedBy(s, null), `sequence ${opName(s)} owned by ${s.ownedBy.table}.${s.ownedBy.column}`)));
      continue;
    }
    const alter = alterSequence(old, s);
    if (alter) out.push(place("createSequences", execute(alter, alterSequence(s, old)!, `alter sequence ${opName(s)}`)));
    if (!same(old.ownedBy, s.ownedBy)) out.push(place("createForeignKeys", execute(ownedBy(s, s.ownedBy), ownedBy(s, old.ownedBy), `sequence ${opName(s)} owner`)));
  }
  for (const [k, s] of aSeqs) {
    if (bSeqs.has(k)) continue;
    out.push(place("dropEnums", { ...execute(`DROP SEQUENCE ${sqlName(s)}`, createSequence(s), `drop sequence ${opName(s)}`), review: ["destructive: drops the sequence (and its current value)."] }));
  }
  return out;
}
