import { defineConfig } from "sluice";

// No `database`: Sluice uses embedded PostgreSQL (PGlite) in .sluice/pglite.
export default defineConfig({
  migrations: "./migrations",
});
