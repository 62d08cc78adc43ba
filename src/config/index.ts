export { defineConfig, loadConfig, findConfigFile, CONFIG_NAMES } from "./config.js";
export type { SluiceConfig, ResolvedConfig, LoadConfigOptions } from "./config.js";
