export type * from "./types.js";
export { renderOp, reverseOp, reverseOps, opFacts, renderColumn, renderType, OP_KINDS } from "./definitions.js";
export { recordOps, type OpBuilder } from "./builder.js";
export { quoteIdent, quoteLiteral, quoteQualified, splitQualified } from "./quote.js";
