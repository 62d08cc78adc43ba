import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { createUserLoader, loadUserModule } from "../modules/load.js";

type Jiti = import("jiti").Jiti;
/** The part of esbuild used here; esbuild is the project's (Drizzle Kit's), not a dependency of Sluice. */
interface Esbuild {
  transformSync(source: string, options: { loader: string; format: "cjs"; target: string; sourcefile?: string }): { code: string };
}
let jiti: Jiti | null | undefined;

/**
 * Imports a Drizzle model. Models grow large (a 2,000-table schema.ts is
 * 35,000 lines) and are edited before every autogenerate, so jiti's cache
 * rarely holds them: its Babel transform took 4–6 s and 700 MB on such a
 * file, esbuild 0.2 s. Drizzle Kit depends on esbuild, so a Drizzle project
 * nearly always has it; the model is then compiled with esbuild through jiti
 * (same resolution, same cache). Without esbuild, or when it cannot compile
 * the file (top-level await in CommonJS output), the model is loaded like
 * every other user module.
 */
export async function loadModelModule(file: string): Promise<Record<string, unknown>> {
  if (jiti === undefined) jiti = await esbuildJiti(file);
  if (jiti) {
    try {
      return (await jiti.import(file)) as Record<string, unknown>;
    } catch {
      // Loaded again below, so an error in the model is reported as for any other module.
    }
  }
  return loadUserModule(file);
}

async function esbuildJiti(file: string): Promise<Jiti | null> {
  let esbuild: Esbuild;
  try {
    esbuild = (await import(pathToFileURL(createRequire(file).resolve("esbuild")).href)) as Esbuild;
    if (typeof esbuild.transformSync !== "function") esbuild = (esbuild as unknown as { default: Esbuild }).default;
  } catch {
    return null;
  }
  return createUserLoader((opts) => {
    const loader = /\.[cm]?tsx$/.test(opts.filename ?? "") ? "tsx" : opts.ts ? "ts" : "js";
    return { code: esbuild.transformSync(opts.source, { loader, format: "cjs", target: "node20", sourcefile: opts.filename }).code };
  });
}
