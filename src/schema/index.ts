export type * from "./types.js";
export { introspect, type IntrospectOptions } from "./introspect.js";
export { compareSchemas } from "./compare.js";
