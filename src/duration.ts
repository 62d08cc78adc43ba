/** A duration string: a number and an optional PostgreSQL unit. */
export const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds from a duration as the config and migration headers write it:
 * a number of milliseconds, or a string in PostgreSQL's units ("500ms", "5s",
 * "2min", "1h"; a bare number is milliseconds, as PostgreSQL reads it).
 * Undefined when the value is not one.
 *
 * @example
 * parseDuration("5s"); // 5000
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = DURATION_PATTERN.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[(m[2] ?? "ms").toLowerCase()];
}

/** How a duration may be written, for error messages. */
export const DURATION_FORMS = 'a number of milliseconds or a string such as "500ms", "5s" or "2min"';
