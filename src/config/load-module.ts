import path from "node:path";
import { fileURLToPath } from "node:url";

type Jiti = import("jiti").Jiti;
let jiti: Jiti | undefined;

/** The library entry that `import … from "sluice"` in users' files resolves to. */
const sluiceEntry = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "index.js");

/**
 * Imports a user's TypeScript or JavaScript module (config, migration, model)
 * through jiti, which handles ESM, CommonJS and top-level await alike and
 * caches the compiled output on disk. `sluice` always resolves to this copy of
 * Sluice, so `defineMigration` is the same function wherever a project keeps it.
 */
export async function loadUserModule(file: string): Promise<Record<string, unknown>> {
  if (!jiti) {
    const { createJiti } = await import("jiti");
    jiti = createJiti(import.meta.url, {
      fsCache: true,
      moduleCache: false,
      interopDefault: false,
      alias: { sluice: sluiceEntry },
    });
  }
  return (await jiti.import(file)) as Record<string, unknown>;
}

/** The default export of a module loaded by `loadUserModule`, unwrapped from CommonJS interop. */
export function defaultExport(mod: Record<string, unknown>): unknown {
  let value: unknown = mod.default ?? mod;
  // A CommonJS module compiled from `export default` nests it once more.
  if (value && typeof value === "object" && "default" in value && Object.keys(value).length === 1) {
    value = (value as { default: unknown }).default;
  }
  return value;
}
