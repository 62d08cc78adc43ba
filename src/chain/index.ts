export { defineMigration, type MigrationDefinition, type MigrationVerify } from "../define/migration.js";
export { discoverMigrations, parseSqlMigration, MIGRATION_FILE, type Migration, type MigrationMeta } from "./files.js";
export { buildChain, appliedHeads, planUpgrade, planDowngrade, resolveRevision, singleHead, compareRevisions, type Chain, type Plan } from "./graph.js";
export * from "./errors.js";
