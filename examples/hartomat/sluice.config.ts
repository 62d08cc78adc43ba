import { defineConfig } from "sluice";

// No `database`: Sluice uses embedded PostgreSQL (PGlite) in .sluice/pglite,
// or DATABASE_URL / --url when given.
export default defineConfig({
  migrations: "./migrations",
  schema: { drizzle: "./src/db/schema.ts" },
});
