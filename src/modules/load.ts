import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { writeCacheFileSoon } from "./cache-file.js";
import * as declarations from "../define/index.js";

type Jiti = import("jiti").Jiti;
let jiti: Jiti | undefined;

/**
 * Imports a user's TypeScript or JavaScript module (config, migration, model)
 * through jiti, which handles ESM, CommonJS and top-level await alike and
 * caches the compiled output on disk. `sluice` (and `sluice/define`) resolves
 * to `userEntry`, the declaration entry of the library this process already
 * runs (one instance, not a copy evaluated again per file), so
 * `defineMigration` is the same function wherever a project keeps it.
 */
export async function loadUserModule(file: string, opts: { diskCache?: boolean } = {}): Promise<Record<string, unknown>> {
  return (await loader(opts.diskCache ?? true)).import(file) as Promise<Record<string, unknown>>;
}

let memoryOnly: Jiti | undefined;

async function loader(diskCache: boolean): Promise<Jiti> {
  if (!diskCache) return (memoryOnly ??= await createUserLoader(undefined, { fsCache: false }));
  jiti ??= await createUserLoader();
  return jiti;
}

/**
 * jiti as Sluice loads users' files with: its disk cache on, and `sluice`
 * given as `userEntry`, the declaration entry already running. `transform` replaces jiti's Babel
 * transform (the model loader passes esbuild's).
 */
export async function createUserLoader(transform?: import("jiti").JitiOptions["transform"], more: import("jiti").JitiOptions = {}): Promise<Jiti> {
  // jiti's CommonJS entry: import() would first scan its 190 kB bundle for export names (~30 ms).
  const { createJiti } = createRequire(import.meta.url)("jiti") as typeof import("jiti");
  return createJiti(import.meta.url, {
    fsCache: true,
    moduleCache: false,
    interopDefault: false,
    virtualModules: { sluice: userEntry, "sluice/define": userEntry },
    ...(transform ? { transform } : {}),
    ...more,
  });
}

/** Names a module system or an inspector asks any module for; absent here, they read as undefined. */
const PROTOCOL_NAMES = new Set(["then", "default", "__esModule", "toJSON", "constructor", "inspect", "asymmetricMatch", "nodeType", "$$typeof"]);

/**
 * What a file Sluice loads gets for `sluice`: `defineMigration`, `defineConfig`
 * and the types they take (src/define), never the commands — loading a
 * migration must not load the tool around it. A name outside that entry is
 * refused when the file reads it, naming the name and what to do, instead of
 * reading as undefined.
 */
export const userEntry: Record<string, unknown> = new Proxy(declarations as Record<string, unknown>, {
  get(target, name) {
    if (typeof name === "symbol" || name in target || PROTOCOL_NAMES.has(name)) return Reflect.get(target, name);
    throw new Error(
      `"${name}" is not available from "sluice" in a file Sluice loads (a migration, sluice.config.ts, a model): ` +
        `those files get defineMigration, defineConfig and their types. Call the library's other functions from a script of your own.`,
    );
  },
});

const listings = new Map<string, Set<string>>();

function compiledFiles(dir: string): Set<string> {
  let names = listings.get(dir);
  if (!names) {
    try {
      names = new Set(fs.readdirSync(dir));
    } catch {
      names = new Set();
    }
    listings.set(dir, names);
  }
  return names;
}

let sucrase: typeof import("sucrase") | undefined;

/**
 * TypeScript or ESM source to CommonJS with Sucrase, which keeps every
 * statement on its line: op lines and error lines read from the running code
 * are the file's own, with no source map. On 800 migration files it took
 * 0.11 s, where jiti's Babel transform took about 3 s and esbuild's
 * transformSync 0.8 s (one call to its service per file), and only Sucrase
 * keeps the lines.
 */
function compileToCommonJs(source: string, file: string): string {
  sucrase ??= createRequire(import.meta.url)("sucrase") as typeof import("sucrase");
  const transforms: ("typescript" | "imports")[] = /\.[cm]?ts$/.test(file) ? ["typescript", "imports"] : ["imports"];
  return sucrase.transform(source, { transforms, filePath: file }).code;
}

/** Thrown by the fast path's `require` for anything but "sluice". */
class NeedsFullLoader extends Error {}

/**
 * Loads a module that imports nothing but "sluice" — as migration files do —
 * from its compiled CommonJS form (by Sucrase), kept in `cacheDir` under the
 * checksum of its source. Evaluating that with `vm.compileFunction` costs a fraction of a full
 * import (a chain of 1,000 files loads in about a fifth of the time). Any other
 * module (one that imports a helper, uses top-level await or `import.meta`)
 * is loaded by `loadUserModule` as before; nothing of it has run by then,
 * since its imports come first. With `cacheDir` undefined nothing is written
 * to disk (a config holding a password is compiled in memory).
 */
export async function loadSelfContainedModule(
  file: string,
  source: string,
  cacheDir: string | undefined,
  checksum = crypto.createHash("sha256").update(source).digest("hex"),
): Promise<Record<string, unknown>> {
  const compiledPath = cacheDir === undefined ? undefined : path.join(cacheDir, "compiled", `${checksum}.cjs`);
  const fallback = () => loadUserModule(file, { diskCache: compiledPath !== undefined });
  let code: string | undefined;
  // One directory listing instead of a failed read (an exception) per file not compiled yet.
  if (compiledPath && compiledFiles(path.dirname(compiledPath)).has(path.basename(compiledPath))) {
    try {
      code = fs.readFileSync(compiledPath, "utf8");
    } catch {
      // Removed since the listing.
    }
  }
  if (code === undefined) {
    try {
      code = compileToCommonJs(source, file);
    } catch {
      // A syntax error: jiti's import reports it with the line.
      return fallback();
    }
    if (compiledPath) {
      writeCacheFileSoon(compiledPath, code);
      compiledFiles(path.dirname(compiledPath)).add(path.basename(compiledPath));
    }
  }
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string) => {
    if (id === "sluice" || id === "sluice/define") return userEntry;
    throw new NeedsFullLoader(id);
  };
  try {
    const run = vm.compileFunction(code, ["exports", "require", "module", "__filename", "__dirname"], { filename: file });
    run(module.exports, require, module, file, path.dirname(file));
  } catch (err) {
    if (err instanceof NeedsFullLoader || err instanceof SyntaxError || err instanceof ReferenceError) return fallback();
    throw err;
  }
  return module.exports;
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
