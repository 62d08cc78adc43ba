import { ConfigError } from "../errors.js";
import type { Rule, RunSettings, Severity } from "./types.js";
import { RULES, ruleById } from "./registry.js";
import type { ChecksConfig } from "../define/config.js";

export type { ChecksConfig } from "../define/config.js";

/** The severity each enabled rule reports at. */
export type RuleSeverities = ReadonlyMap<Rule, Severity>;

const HINT = 'For example: checks: { preset: "strict", rules: { "varchar-length": "off", "foreign-key-on-delete": "error" } }.';

const RANK = { off: 0, warning: 1, error: 2 } as const;

/**
 * The rules `severities` sets below the default preset under the same run
 * settings (turned off, or an error made a warning), and the severities with
 * those put back to the default.
 */
export function weakenedRules(severities: RuleSeverities, settings: RunSettings): { weakened: Rule[]; restored: RuleSeverities } {
  const defaults = ruleSeverities(undefined, settings);
  const weakened = RULES.filter((r) => RANK[severities.get(r) ?? "off"] < RANK[defaults.get(r) ?? "off"]);
  const restored = new Map(severities);
  for (const r of weakened) restored.set(r, defaults.get(r)!);
  return { weakened, restored };
}

/** Resolves the preset and per-rule settings; bad values are a config error (exit 2). */
export function ruleSeverities(config: unknown, settings: RunSettings): RuleSeverities {
  const c = (config ?? {}) as ChecksConfig;
  if (typeof c !== "object" || Array.isArray(c)) throw new ConfigError("sluice.config.ts: `checks` must be an object.", HINT);
  const preset = c.preset ?? "default";
  if (preset !== "default" && preset !== "strict") {
    throw new ConfigError(`sluice.config.ts: checks.preset is ${JSON.stringify(preset)}; it must be "default" or "strict".`, HINT);
  }
  const out = new Map<Rule, Severity>();
  for (const rule of RULES) out.set(rule, preset === "strict" && rule.category === "lock" ? "error" : rule.severity);
  for (const [id, setting] of Object.entries(c.rules ?? {})) {
    const rule = ruleById(id);
    if (!rule) {
      throw new ConfigError(`sluice.config.ts: checks.rules names an unknown rule ${JSON.stringify(id)}.`, `Known rules: ${RULES.map((r) => r.id).join(", ")}.`);
    }
    if (setting === "off") out.delete(rule);
    else if (setting === "error" || setting === "warning") out.set(rule, setting);
    else throw new ConfigError(`sluice.config.ts: checks.rules["${id}"] is ${JSON.stringify(setting)}; use "error", "warning" or "off".`, HINT);
  }
  for (const rule of out.keys()) if (rule.appliesUnder && !rule.appliesUnder(settings)) out.delete(rule);
  return out;
}
