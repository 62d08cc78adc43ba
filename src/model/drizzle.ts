import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { SluiceError } from "../errors.js";

/*
 * A Drizzle model means what Drizzle Kit makes of it, so it is compiled by
 * Drizzle Kit's own public generator (`drizzle-kit/api`), loaded from the
 * user's project: a hand-written compiler over getTableConfig diverged from it
 * on index methods, SQL keys, JSON defaults, casing and views. Sluice keeps
 * Drizzle Kit's snapshot table by table so that only the tables whose
 * snapshot changed are turned into DDL and created on the scratch database.
 *
 * The types here are structural on purpose: drizzle-kit and drizzle-orm are
 * optional peer dependencies, and no published declaration names them.
 */

/** The `casing` given to `drizzle()`: column names derived from property keys. */
export interface DrizzleDdlOptions {
  casing?: "snake_case" | "camelCase";
}

/** A table, view, enum … of Drizzle Kit's snapshot (its JSON, read only for the fields below). */
type SnapshotEntry = Record<string, unknown>;

interface SnapshotTable extends SnapshotEntry {
  name: string;
  schema: string;
  columns: Record<string, { type: string; typeSchema?: string }>;
  foreignKeys: Record<string, { tableTo: string; schemaTo?: string }>;
  policies: Record<string, SnapshotEntry & { name: string }>;
  isRLSEnabled?: boolean;
}

interface SnapshotView extends SnapshotEntry {
  name: string;
  schema: string;
  definition?: string;
  isExisting?: boolean;
  materialized?: boolean;
}

/** Drizzle Kit's PostgreSQL snapshot (`generateDrizzleJson`). */
export interface DrizzleSnapshot extends SnapshotEntry {
  tables: Record<string, SnapshotTable>;
  enums: Record<string, SnapshotEntry & { name: string; schema: string }>;
  schemas: Record<string, string>;
  sequences: Record<string, SnapshotEntry>;
  roles?: Record<string, SnapshotEntry & { name: string }>;
  policies?: Record<string, SnapshotEntry & { name: string; on?: string }>;
  views?: Record<string, SnapshotView>;
}

/** The part of `drizzle-kit/api` Sluice calls. */
interface DrizzleKitApi {
  generateDrizzleJson(imports: Record<string, unknown>, prevId?: string, schemaFilters?: string[], casing?: string): DrizzleSnapshot;
  generateMigration(prev: DrizzleSnapshot, cur: DrizzleSnapshot): Promise<string[]>;
}

/** Drizzle Kit as found in the user's project. */
export interface DrizzleKit {
  /** Its version, e.g. `0.31.11`. */
  readonly version: string;
  readonly api: DrizzleKitApi;
}

/** The release line whose `drizzle-kit/api` Sluice compiles with. */
export const DRIZZLE_KIT_RANGE = "^0.31.0";
const INSTALL_HINT = `Install it in the project: npm install --save-dev drizzle-kit@${DRIZZLE_KIT_RANGE} (Sluice compiles a Drizzle model with Drizzle Kit's own generator).`;

/**
 * Loads `drizzle-kit/api` from the project `from` (a file in it) lives in,
 * checking that it is a version Sluice can drive.
 */
export async function loadDrizzleKit(from: string): Promise<DrizzleKit> {
  const req = createRequire(path.resolve(from));
  let apiFile: string;
  try {
    apiFile = req.resolve("drizzle-kit/api");
  } catch {
    throw new SluiceError("drizzle-kit-missing", `drizzle-kit is not installed where ${path.basename(from)} can load it.`, { hint: INSTALL_HINT });
  }
  const version = packageVersion(apiFile);
  const [major, minor] = version.split(".").map(Number);
  if (!(major === 0 && minor >= 31)) {
    const line = major >= 1 ? `the ${major}.x line, whose API Sluice does not drive yet` : "older than Sluice needs";
    throw new SluiceError("drizzle-kit-version", `drizzle-kit ${version} is installed: ${line}.`, { hint: INSTALL_HINT, details: { drizzleKit: version } });
  }
  const api = req("drizzle-kit/api") as Partial<DrizzleKitApi>;
  if (typeof api.generateDrizzleJson !== "function" || typeof api.generateMigration !== "function") {
    throw new SluiceError("drizzle-kit-version", `drizzle-kit ${version} has no generateDrizzleJson/generateMigration in drizzle-kit/api.`, { hint: INSTALL_HINT });
  }
  return { version, api: api as DrizzleKitApi };
}

function packageVersion(inside: string): string {
  for (let dir = path.dirname(inside); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "drizzle-kit") return pkg.version ?? "0.0.0";
  }
  return "0.0.0";
}

/**
 * Drizzle Kit reports a model it rejects (duplicate names, say) on the console
 * and exits the process; here that becomes an error carrying its message.
 */
function guarded<T>(run: () => T): T {
  const exit = process.exit;
  const log = console.log;
  const error = console.error;
  const said: string[] = [];
  const say = (...args: unknown[]) => void said.push(args.map(String).join(" "));
  process.exit = ((code?: number) => {
    throw new DrizzleKitRejected(said.join("\n") || `drizzle-kit exited with code ${code ?? 0}`);
  }) as typeof process.exit;
  console.log = say;
  console.error = say;
  const restore = () => {
    process.exit = exit;
    console.log = log;
    console.error = error;
  };
  try {
    const out = run();
    if (out instanceof Promise) return out.finally(restore) as T;
    restore();
    return out;
  } catch (err) {
    restore();
    throw err;
  }
}

/** A model Drizzle Kit itself rejects; the message is Drizzle Kit's. */
export class DrizzleKitRejected extends Error {
  constructor(message: string) {
    // eslint-disable-next-line no-control-regex
    super(message.replace(/\u001b\[[0-9;]*m/g, "").replace(/\s+/g, " ").trim());
  }
}

/** One table of a model: its snapshot, and what it needs besides. */
export interface ModelTable {
  /** `schema.name`. */
  readonly key: string;
  /** The table in Drizzle Kit's snapshot, as JSON text (what the compiled-model cache is keyed on). */
  readonly snapshot: string;
  /** Keys of the tables its foreign keys reference. */
  readonly references: readonly string[];
  /** Keys of the enums its columns are typed with, or its SQL text names. */
  readonly enums: readonly string[];
}

/** A model compiled by Drizzle Kit, table by table. */
export interface ModelParts {
  /** What every table may use (schemas, sequences, enums not typed by a table), as JSON text. */
  readonly preamble: string;
  /** Enum key → its snapshot JSON text. */
  readonly enums: ReadonlyMap<string, string>;
  readonly tables: readonly ModelTable[];
  /** Keys of the tables each view's definition names (created with the views, so they can be read). */
  readonly viewTables: readonly string[];
  /** What the model declares that Sluice does not manage, named (`policy p on public.t`). */
  readonly notManaged: readonly string[];
  /** The roles the model creates (pgRole, not `.existing()`). */
  readonly roles: readonly { readonly name: string; readonly createDb: boolean; readonly createRole: boolean; readonly inherit: boolean }[];
  /** Every role its policies name, declared or existing: what a scratch database must have to compile it. */
  readonly policyRoles: readonly string[];
  /** Views declared `.existing()`: not the model's to create or drop. */
  readonly existingViews: readonly { readonly schema: string; readonly name: string }[];
  /**
   * The DDL, as Drizzle Kit writes it, creating the preamble, the tables
   * `tables`, the tables `stubs` without their foreign keys, and the views.
   */
  statements(tables: readonly string[], stubs?: readonly string[]): Promise<string[]>;
}

/**
 * Compiles a Drizzle (pg-core) module with Drizzle Kit.
 *
 * @example
 * const kit = await loadDrizzleKit("./src/db/schema.ts");
 * const parts = compileDrizzle(await import("./src/db/schema.ts"), kit, { casing: "snake_case" });
 * const ddl = await parts.statements(parts.tables.map((t) => t.key));
 */
export function compileDrizzle(exports: Record<string, unknown>, kit: DrizzleKit, options: DrizzleDdlOptions = {}): ModelParts {
  const snapshot = guarded(() => kit.api.generateDrizzleJson(exports, undefined, undefined, options.casing));
  const empty = guarded(() => kit.api.generateDrizzleJson({}));
  const key = (schema: string | undefined, name: string) => `${schema || "public"}.${name}`;

  const notManaged: string[] = [];
  const tables = new Map<string, SnapshotTable>();
  for (const t of Object.values(snapshot.tables)) tables.set(key(t.schema, t.name), t);
  // Policies declared apart from their table (`.link()`, or on an existing table) are not kept with a table's cache entry yet.
  for (const p of Object.values(snapshot.policies ?? {})) notManaged.push(`policy ${p.name}${p.on ? ` on ${p.on}` : ""} (declared apart from its table)`);
  const roles = Object.values(snapshot.roles ?? {}).map((r) => ({
    name: r.name,
    createDb: r.createDb === true,
    createRole: r.createRole === true,
    inherit: r.inherit !== false,
  }));
  // Roles a policy names: they must exist wherever the model is compiled (an existing() role is not in `roles`).
  const policyRoles = new Set<string>(roles.map((r) => r.name));
  for (const t of tables.values()) for (const p of Object.values(t.policies ?? {})) for (const r of (p.to as string[] | undefined) ?? []) policyRoles.add(r);
  for (const r of ["public", "current_user", "current_role", "session_user"]) policyRoles.delete(r);

  const views = Object.values(snapshot.views ?? {});
  const existingViews = views.filter((v) => v.isExisting).map((v) => ({ schema: v.schema || "public", name: v.name }));
  // A view's options are not part of a Schema yet: the view is managed, its options are named.
  for (const v of views) {
    if (v.isExisting) continue;
    const what = `${v.materialized ? "materialized view" : "view"} ${key(v.schema, v.name)}`;
    const options = v.with && typeof v.with === "object" ? Object.keys(v.with as object) : [];
    if (options.length) notManaged.push(`options (${options.join(", ")}) of ${what}`);
    if (v.tablespace) notManaged.push(`tablespace of ${what}`);
    if (v.using) notManaged.push(`access method of ${what}`);
    if (v.withNoData) notManaged.push(`WITH NO DATA of ${what}`);
  }
  const createdViews = Object.fromEntries(Object.entries(snapshot.views ?? {}).filter(([, v]) => !v.isExisting));

  const enumKeys = Object.values(snapshot.enums).map((e) => key(e.schema, e.name));
  const enums = new Map(Object.entries(snapshot.enums).map(([, e]) => [key(e.schema, e.name), JSON.stringify(e)]));
  const modelTables: ModelTable[] = [];
  for (const [k, t] of tables) {
    const text = JSON.stringify(t);
    const typed = new Set<string>();
    for (const c of Object.values(t.columns)) if (c.typeSchema !== undefined) typed.add(key(c.typeSchema, c.type.replace(/(\[\d*\])+$/, "")));
    // An enum named only in SQL text (a check, a default, an index's WHERE with a cast) counts too.
    const lower = text.toLowerCase();
    for (const e of enumKeys) if (!typed.has(e) && mentions(lower, e.slice(e.indexOf(".") + 1).toLowerCase())) typed.add(e);
    const references = [...new Set(Object.values(t.foreignKeys).map((fk) => key(fk.schemaTo, fk.tableTo)))];
    modelTables.push({ key: k, snapshot: text, references, enums: [...typed].filter((e) => enums.has(e)) });
  }
  const typedEnums = new Set(modelTables.flatMap((t) => t.enums));
  const preamble = JSON.stringify([
    snapshot.schemas,
    snapshot.sequences,
    [...enums].filter(([k]) => !typedEnums.has(k)),
  ]);

  const viewText = Object.values(createdViews)
    .map((v) => v.definition ?? "")
    .join("\n")
    .toLowerCase();
  const viewTables = [...tables.keys()].filter((k) => viewText && mentions(viewText, tables.get(k)!.name.toLowerCase()));

  return {
    preamble,
    enums,
    tables: modelTables,
    viewTables,
    notManaged,
    roles,
    policyRoles: [...policyRoles].sort(),
    existingViews,
    statements: (wanted, stubs = []) => {
      const sub: Record<string, SnapshotTable> = {};
      for (const k of wanted) sub[k] = tables.get(k)!;
      for (const k of stubs) if (!sub[k]) sub[k] = { ...tables.get(k)!, foreignKeys: {} };
      // Roles belong to the whole server: Sluice creates them on a scratch itself, and compares them apart.
      const cur: DrizzleSnapshot = { ...snapshot, tables: sub, views: createdViews, policies: {}, roles: {} };
      return guarded(() => kit.api.generateMigration(empty, cur));
    },
  };
}

/**
 * The DDL Drizzle Kit writes for a whole Drizzle (pg-core) module: what
 * `drizzle-kit generate` would put in a project's first migration, less its
 * CREATE ROLE statements (roles are the server's; Sluice compares them apart).
 *
 * @example
 * const ddl = await drizzleToDdl(await import("./src/db/schema.ts"), await loadDrizzleKit("./src/db/schema.ts"));
 */
export async function drizzleToDdl(exports: Record<string, unknown>, kit: DrizzleKit, options: DrizzleDdlOptions = {}): Promise<string[]> {
  const parts = compileDrizzle(exports, kit, options);
  return parts.statements(parts.tables.map((t) => t.key));
}

/** Whether lower-cased text names `name` as a whole word (a false match only costs a recompile). */
function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = text[at - 1] ?? " ";
    const after = text[at + name.length] ?? " ";
    if (!/[a-z0-9_$]/.test(before) && !/[a-z0-9_$]/.test(after)) return true;
  }
  return false;
}
