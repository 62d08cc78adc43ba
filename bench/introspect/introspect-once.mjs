// One introspect() of the database at argv[2]; prints {ms, queries, tables} as JSON.
// Started by run.mjs in a fresh process so its peak memory is measured alone.
import { openDatabase, parseDatabaseUrl, introspect } from "../../dist/index.js";

const db = await openDatabase(parseDatabaseUrl(process.argv[2], process.cwd()));
let queries = 0;
const query = db.query.bind(db);
db.query = (sql, params) => {
  queries++;
  return query(sql, params);
};
const t0 = performance.now();
const schema = await introspect(db);
const ms = performance.now() - t0;
await db.close();
process.stdout.write(JSON.stringify({ ms, queries, tables: schema.tables.length }));
