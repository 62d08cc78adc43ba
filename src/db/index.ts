export type { Db, PgErrorInfo } from "./types.js";
export { pgErrorInfo } from "./types.js";
export { openDatabase } from "./open.js";
export type { DatabaseTarget } from "./url.js";
export { parseDatabaseUrl, redactUrl, redactText } from "./url.js";
