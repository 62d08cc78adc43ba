import { quoteIdent } from "../../ops/quote.js";
import { execute, place, type Context } from "./context.js";
import type { Placed } from "../order.js";

/** Schemas and extensions the model has and the database lacks. Extensions are only ever added: one the model does not mention may be the DBA's. */
export function compareNamespaces(ctx: Context): Placed[] {
  const { a, b } = ctx;
  const out: Placed[] = [];
  for (const s of b.schemas) {
    if (!a.schemas.includes(s)) out.push(place("schemas", execute(`CREATE SCHEMA ${quoteIdent(s)}`, `DROP SCHEMA ${quoteIdent(s)}`, `create schema ${s}`)));
  }
  return out;
}

export function compareExtensions(ctx: Context): Placed[] {
  const { a, b } = ctx;
  const out: Placed[] = [];
  for (const e of b.extensions) {
    if (!a.extensions.some((x) => x.name === e.name)) {
      out.push(
        place(
          "schemas",
          execute(`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e.name)} WITH SCHEMA ${quoteIdent(e.schema)}`, `DROP EXTENSION ${quoteIdent(e.name)}`, `create extension ${e.name}`),
        ),
      );
    }
  }
  return out;
}
