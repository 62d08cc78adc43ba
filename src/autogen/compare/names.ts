import { quoteIdent } from "../../ops/quote.js";
import type { EnumType } from "../../schema/types.js";

/** `products` in public, `sales.orders` elsewhere: how ops name tables and types. */
export function opName(x: { schema: string; name: string }): string {
  return x.schema === "public" ? x.name : `${x.schema}.${x.name}`;
}

/** An identifier or qualified name as SQL. */
export function sqlName(x: { schema: string; name: string }): string {
  return x.schema === "public" ? quoteIdent(x.name) : `${quoteIdent(x.schema)}.${quoteIdent(x.name)}`;
}

/** How format_type names an enum in the Schema: bare in public, qualified elsewhere. */
export function qualifiedTypeName(e: EnumType): string {
  return sqlName(e);
}

export const key = (x: { schema: string; name: string }) => `${x.schema}.${x.name}`;
export const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

