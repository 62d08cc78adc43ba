import path from "node:path";
import type { ResolvedConfig } from "../config/config.js";
import { loadUserModule } from "../modules/load.js";
import { ConfigError, firstLine } from "../errors.js";
import { projectPath } from "../paths.js";

/** One item of the seed's post-migration checklist that the model does not meet. */
export interface ModelFinding {
  readonly rule: "model-relations" | "model-api-schema";
  readonly severity: "error";
  /** The file to fix, relative to the project root. */
  readonly file: string;
  readonly message: string;
  readonly fix: string;
}

export interface ModelChecklistResult {
  readonly findings: ModelFinding[];
  /** Which checks ran ("relations", "api schemas"), and why others did not. */
  readonly checked: string[];
  readonly notes: string[];
}

type AnyRecord = Record<string, unknown>;
interface ZodLike {
  safeParse(v: unknown): { success: boolean };
}
const isZod = (x: unknown): x is ZodLike & { shape?: AnyRecord } => !!x && typeof (x as ZodLike).safeParse === "function";

/**
 * The seed's post-migration checklist, for the model rather than the database:
 * with Drizzle, every foreign key has its relation declared on both sides; with
 * `apiSchemas` in the config (zod objects keyed by table name), every column is
 * there, nullable columns are nullable or optional, NOT NULL columns required.
 */
export async function modelChecklist(config: ResolvedConfig): Promise<ModelChecklistResult> {
  const findings: ModelFinding[] = [];
  const checked: string[] = [];
  const notes: string[] = [];
  const model = config.config.schema as { drizzle?: string } | undefined;
  if (!model?.drizzle) {
    notes.push("Relations and API schemas are checked against a Drizzle model; `schema.drizzle` is not set.");
    return { findings, checked, notes };
  }
  const rel = (f: string) => projectPath(config.root, f);
  const modelFile = path.resolve(config.root, model.drizzle);
  const relationsFile = typeof config.config.relations === "string" ? path.resolve(config.root, config.config.relations) : undefined;
  const orm = await import("drizzle-orm");
  const core = await import("drizzle-orm/pg-core");
  const modelExports = await load(modelFile, rel(modelFile));
  const relationExports = relationsFile ? await load(relationsFile, rel(relationsFile)) : {};
  const tables = Object.values(modelExports).filter((v) => orm.is(v, core.PgTable)) as import("drizzle-orm/pg-core").PgTable[];
  const tableName = (t: unknown) => orm.getTableName(t as import("drizzle-orm").Table);

  // Relations: for each foreign key child → parent, one(parent) on the child and many(child) or one(child) on the parent.
  // Keyed by table name: the relations module may have loaded its own copy of the tables.
  const declared = new Map<string, { target: string; kind: "one" | "many" }[]>();
  for (const v of [...Object.values(modelExports), ...Object.values(relationExports)]) {
    if (!orm.is(v, orm.Relations)) continue;
    const r = v as import("drizzle-orm").Relations;
    const config = r.config(orm.createTableRelationsHelpers(r.table));
    const list = declared.get(tableName(r.table)) ?? [];
    for (const x of Object.values(config)) list.push({ target: tableName(x.referencedTable), kind: orm.is(x, orm.One) ? "one" : "many" });
    declared.set(tableName(r.table), list);
  }
  const relFile = rel(relationsFile ?? modelFile);
  if (declared.size === 0) {
    notes.push(`No Drizzle relations found in ${relFile}${relationsFile ? "" : " (set `relations` in sluice.config.ts if they live in another module)"}.`);
  }
  checked.push("relations");
  for (const child of tables) {
    for (const fk of core.getTableConfig(child).foreignKeys) {
      const parent = fk.reference().foreignTable;
      const c = tableName(child);
      const p = tableName(parent);
      const cols = fk.reference().columns.map((x) => x.name).join(", ");
      if (!(declared.get(c) ?? []).some((d) => d.target === p && d.kind === "one")) {
        findings.push({
          rule: "model-relations", severity: "error", file: relFile,
          message: `${c}.${cols} references ${p}, but the relations of ${c} declare no one(${p}).`,
          fix: `Add to relations(${c}, …): one(${p}, { fields: [${c}.${cols}], references: [${p}.id] }).`,
        });
      }
      if (p !== c && !(declared.get(p) ?? []).some((d) => d.target === c)) {
        findings.push({
          rule: "model-relations", severity: "error", file: relFile,
          message: `${c}.${cols} references ${p}, but the relations of ${p} declare no many(${c}) (the back side).`,
          fix: `Add to relations(${p}, …): many(${c}) — or one(${c}) for a one-to-one.`,
        });
      }
    }
  }

  // API schemas, when the config names them.
  const apiFile = typeof config.config.apiSchemas === "string" ? path.resolve(config.root, config.config.apiSchemas) : undefined;
  if (!apiFile) {
    notes.push("API schemas not checked: set `apiSchemas` in sluice.config.ts to the module of zod objects keyed by table name.");
    return { findings, checked, notes };
  }
  checked.push("api schemas");
  const api = await load(apiFile, rel(apiFile));
  const keyed = apiSchemasByTable(api);
  for (const t of tables) {
    const name = tableName(t);
    const schema = keyed[name];
    if (!isZod(schema) || !schema.shape) {
      findings.push({ rule: "model-api-schema", severity: "error", file: rel(apiFile), message: `There is no API schema for table ${name}.`, fix: `Export a zod object for ${name}, keyed by the table's name.` });
      continue;
    }
    const shape = schema.shape;
    for (const [key, col] of Object.entries(orm.getTableColumns(t))) {
      const field = shape[col.name] ?? shape[key];
      const where = `${name}.${col.name}`;
      if (!isZod(field)) {
        findings.push({ rule: "model-api-schema", severity: "error", file: rel(apiFile), message: `The API schema of ${name} has no field for column ${where}.`, fix: `Add ${key}: … to the schema of ${name}.` });
        continue;
      }
      const acceptsMissing = field.safeParse(null).success || field.safeParse(undefined).success;
      if (!col.notNull && !acceptsMissing) {
        findings.push({ rule: "model-api-schema", severity: "error", file: rel(apiFile), message: `Column ${where} is nullable, but the API schema requires it.`, fix: `Make ${key} .nullable() (or .optional()) in the schema of ${name}.` });
      }
      if (col.notNull && field.safeParse(undefined).success) {
        findings.push({ rule: "model-api-schema", severity: "error", file: rel(apiFile), message: `Column ${where} is NOT NULL, but the API schema lets it be left out.`, fix: `Make ${key} required in the schema of ${name}.` });
      }
    }
  }
  return { findings, checked, notes };
}

async function load(file: string, shown: string): Promise<AnyRecord> {
  try {
    return await loadUserModule(file);
  } catch (err) {
    throw new ConfigError(`${shown} could not be imported: ${firstLine(err)}`, "Fix the module (or the path in sluice.config.ts) and run again.", err);
  }
}

/** `export default { products: … }`, `export const apiSchemas = { … }`, or one export per table name. */
function apiSchemasByTable(mod: AnyRecord): AnyRecord {
  const candidates = [mod.default, mod.apiSchemas].filter((x): x is AnyRecord => !!x && typeof x === "object" && !isZod(x));
  return Object.assign({}, mod, ...candidates);
}
