type Jiti = import("jiti").Jiti;
let jiti: Jiti | undefined;

/**
 * Imports a user's TypeScript or JavaScript module (config, migration, model)
 * through jiti, which handles ESM, CommonJS and top-level await alike and
 * caches the compiled output on disk. `sluice` resolves to the library this
 * process already runs (one instance, not a copy evaluated again per file), so
 * `defineMigration` is the same function wherever a project keeps it.
 */
export async function loadUserModule(file: string): Promise<Record<string, unknown>> {
  if (!jiti) {
    const { createJiti } = await import("jiti");
    const sluice = await import("../index.js");
    jiti = createJiti(import.meta.url, {
      fsCache: true,
      moduleCache: false,
      interopDefault: false,
      virtualModules: { sluice },
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
