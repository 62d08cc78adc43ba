import fs from "node:fs";

/**
 * Sluice's own version, read from its package.json beside src/ or dist/ (not
 * npm_package_version, which under npx is the host project's).
 */
export const SLUICE_VERSION: string = (JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;
