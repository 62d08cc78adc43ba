export { RULES, ruleById } from "./registry.js";
export { runChecks, hasErrors, type CheckOutcome } from "./engine.js";
export { ruleSeverities, type ChecksConfig } from "./config.js";
export { prepareMigration } from "./prepare.js";
export { formatText, formatGithub } from "./format.js";
export type * from "./types.js";
