import path from "node:path";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { redactText } from "../db/url.js";
import { RULES } from "../checks/registry.js";
import { closestNames } from "../names.js";
import { DURATION_FORMS, DURATION_PATTERN } from "../duration.js";
import type { SluiceConfig } from "../define/config.js";

/** `versionTable`: an unquoted table name with an optional schema. */
const VERSION_TABLE_PATTERN = /^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/;

/** What each key must be, for messages; one table so the schema and the messages cannot drift apart. */
const EXPECTED: Record<string, string> = {
  database: 'a URL string (postgres://…, pglite:<folder> or pglite:memory)',
  migrations: "a folder path (a string)",
  schemas: "a non-empty list of schema names",
  schema: "an object: { drizzle: \"./src/db/schema.ts\" } or { sql: \"./schema.sql\" }",
  "schema.drizzle": "a module path (a string)",
  "schema.sql": "a file path (a string)",
  "schema.casing": '"snake_case" or "camelCase"',
  devUrl: "a database URL string",
  autogenerate: "an object: { safe: false }",
  "autogenerate.safe": "true or false",
  relations: "a module path (a string)",
  apiSchemas: "a module path (a string)",
  checks: 'an object: { preset, rules }',
  "checks.preset": '"default" or "strict"',
  "checks.rules": "an object of rule id → severity",
  "checks.rules.*": '"error", "warning" or "off"',
  lockTimeout: `${DURATION_FORMS} (0 turns it off)`,
  statementTimeout: `${DURATION_FORMS} (0 turns it off)`,
  lockTimeoutRetries: "a whole number from 0 to 100",
  maxMigrationFileMB: "a positive number of megabytes",
  versionTable: 'a table name, optionally with its schema: "sluice_version" or "app.sluice_version" (letters, digits and _)',
};

const EXAMPLE: Record<string, string> = {
  database: 'database: process.env.DATABASE_URL or "pglite:.sluice/pglite"',
  migrations: 'migrations: "./migrations"',
  schemas: 'schemas: ["public", "billing"]',
  schema: 'schema: { drizzle: "./src/db/schema.ts" }',
  checks: 'checks: { preset: "strict", rules: { "varchar-length": "off", "foreign-key-on-delete": "error" } }',
  lockTimeout: 'lockTimeout: "5s"',
  statementTimeout: 'statementTimeout: "30s"',
  lockTimeoutRetries: "lockTimeoutRetries: 3 (0 fails on the first lock timeout)",
  maxMigrationFileMB: "maxMigrationFileMB: 16",
  versionTable: 'versionTable: "app.sluice_version"',
};

const path_ = z.string().min(1);
const duration = z.union([z.number().min(0), z.string().regex(DURATION_PATTERN)]);
const severity = z.enum(["error", "warning", "off"]);

/** The config's schema: every key Sluice reads, and no other. */
export const configSchema = z.strictObject({
  database: z.string().min(1).optional().describe("The database URL: postgres://…, pglite:<folder> or pglite:memory. --url and DATABASE_URL override it."),
  migrations: path_.optional().describe('The migrations folder, relative to the config file. Default "./migrations".'),
  schemas: z.array(z.string().min(1)).min(1).optional().describe('The database schemas Sluice introspects and compares. Default ["public"].'),
  schema: z
    .strictObject({
      drizzle: path_.optional().describe("A Drizzle ORM module, relative to the config file."),
      sql: path_.optional().describe("A file of DDL, relative to the config file."),
      casing: z.enum(["snake_case", "camelCase"]).optional().describe("The casing given to drizzle() when column names come from property keys."),
    })
    .optional()
    .describe("The application's model, for `sluice revision --autogenerate` and `sluice diff`."),
  devUrl: z.string().min(1).optional().describe("An empty database on the target's PostgreSQL version to compile the model in; --dev-url overrides it."),
  autogenerate: z
    .strictObject({
      safe: z.boolean().optional().describe("Write the lock-safe form of changes to existing tables (CONCURRENTLY, NOT VALID then VALIDATE, NOT NULL through a CHECK). Default true."),
    })
    .optional()
    .describe("How `sluice revision --autogenerate` writes changes to existing tables."),
  relations: path_.optional().describe("A module of Drizzle relations(…), when they do not live in the schema.drizzle module."),
  apiSchemas: path_.optional().describe("The API's zod schemas, keyed by table name, for `sluice check --models`."),
  checks: z
    .strictObject({
      preset: z.enum(["default", "strict"]).optional().describe('"strict" makes the lock-safety rules errors. Default "default".'),
      rules: z
        .strictObject(Object.fromEntries(RULES.map((r) => [r.id, severity.optional().describe(r.summary)])))
        .optional()
        .describe('Per rule: its severity, or "off".'),
    })
    .optional()
    .describe("`sluice check` and the checks before `upgrade`."),
  lockTimeout: duration.optional().describe('lock_timeout for every migration: ms or "5s". Default 5 s; 0 turns it off.'),
  lockTimeoutRetries: z.number().int().min(0).max(100).optional().describe("How often a migration that hit lock_timeout is run again, with backoff. Default 3."),
  statementTimeout: duration.optional().describe('statement_timeout for every migration that sets none of its own: ms or "30s". Default none.'),
  maxMigrationFileMB: z.number().positive().optional().describe("The largest migration file Sluice reads, in MB. Default 8."),
  versionTable: z
    .string()
    .regex(VERSION_TABLE_PATTERN)
    .optional()
    .describe('Where Sluice records applied revisions: "name" (in public) or "schema.name". Default "public.sluice_version".'),
});

// The hand-written SluiceConfig (whose comments editors show) and the schema describe the same keys.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameKeys: Same<keyof z.input<typeof configSchema>, keyof SluiceConfig> = true;
void sameKeys;

/** The JSON Schema of `sluice.config.ts`, as published in schema/sluice.config.schema.json. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    title: "Sluice config (sluice.config.ts)",
    ...z.toJSONSchema(configSchema, { io: "input" }),
  };
}

/** Refuses a config with an unknown key or a value of the wrong kind, naming the file and the key (exit 2). */
export function validateConfig(value: unknown, configFile: string): SluiceConfig {
  const result = configSchema.safeParse(value);
  if (result.success) return value as SluiceConfig;
  const file = path.basename(configFile);
  const issue = result.error.issues[0];
  const at = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0];
    const known = Object.keys(shapeAt(at));
    const where = at.length ? `${at.join(".")}.` : "";
    const closest = closestNames(key, known);
    const isRule = at.join(".") === "checks.rules";
    throw new ConfigError(
      `${file}: ${isRule ? `checks.rules names an unknown rule ${JSON.stringify(key)}` : `unknown key \`${where}${key}\``}.${closest.length ? ` Did you mean ${closest.map((k) => (isRule ? JSON.stringify(k) : `\`${where}${k}\``)).join(" or ")}?` : ""}`,
      isRule ? `Known rules: ${known.join(", ")}.` : `Known keys${at.length ? ` of ${at.join(".")}` : ""}: ${known.join(", ")}. See docs/config.md.`,
    );
  }
  const key = at.join(".");
  const expected = EXPECTED[key] ?? EXPECTED[at.length === 3 && at[0] === "checks" ? "checks.rules.*" : at[0]] ?? issue.message;
  const got = valueAt(value, at);
  throw new ConfigError(
    redactText(`${file}: \`${key}\` ${got === undefined ? "is missing" : `is ${describe(got)}`}; it must be ${expected}.`),
    EXAMPLE[at[0]] ? `For example: ${EXAMPLE[at[0]]}.` : "See docs/config.md.",
  );
}

function shapeAt(at: readonly string[]): Record<string, unknown> {
  let schema: z.ZodType = configSchema;
  for (const key of at) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    schema = (schema as z.ZodObject).shape[key] as z.ZodType;
  }
  while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
  return (schema as z.ZodObject).shape;
}

function valueAt(value: unknown, at: readonly string[]): unknown {
  let v = value;
  for (const k of at) v = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}…` : text;
  } catch {
    return String(value);
  }
}
