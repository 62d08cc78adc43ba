import { defineConfig } from "sluice";

// No `database`: Sluice uses embedded PostgreSQL (PGlite) in .sluice/pglite,
// or DATABASE_URL / --url when given.
export default defineConfig({
  migrations: "./migrations",
  // The Drizzle model that `sluice diff` and `sluice revision --autogenerate` compare with the chain.
  schema: { drizzle: "./src/db/schema.ts" },
  // Drizzle relations live beside the tables; `sluice check --models` checks both sides of every foreign key.
  relations: "./src/db/relations.ts",
  // The API's zod schemas, keyed by table name: every column there, nullable ones nullable.
  apiSchemas: "./src/api/schemas.ts",
  checks: {
    rules: {
      // HartOMat sizes its strings on purpose: the API (src/api/schemas.ts) validates the same limits.
      "varchar-length": "off",
    },
  },
});
