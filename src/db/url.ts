import path from "node:path";
import { SluiceError } from "../errors.js";

export type DatabaseTarget =
  | { kind: "pg"; url: string; displayUrl: string }
  | { kind: "pglite"; dataDir: string | null; displayUrl: string };

/** `password=…` in a URL's query or a libpq `key=value` string: quoted (with \' escapes) or up to a space or `&`. */
const PASSWORD_PARAM = /\b((?:pg)?password)(\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*)/gi;
/** Something written `scheme://…` in free text, up to a space or a quote. */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*/gi;

/**
 * Replaces the password of a connection string with `***`, and nothing else:
 * a URL's (its user info runs to the last `@`, so a password holding an
 * unencoded `@`, `#` or `/` is hidden whole, even where the URL does not
 * parse) and every `password=` parameter (URL query, libpq `key=value`).
 */
export function redactUrl(url: string): string {
  let out = url;
  const scheme = out.indexOf("://");
  const at = out.lastIndexOf("@");
  if (scheme >= 0 && at > scheme) {
    const colon = out.indexOf(":", scheme + 3);
    if (colon >= 0 && colon < at) out = `${out.slice(0, colon + 1)}***${out.slice(at)}`;
  }
  return out.replace(PASSWORD_PARAM, "$1$2***");
}

/** What to do about a server URL that cannot be used as written. */
export const ENCODE_URL_HINT =
  "Percent-encode special characters in the user name and password: # as %23, / as %2F, ? as %3F, @ as %40, % as %25 (encodeURIComponent does it).";

/** Connection strings this process was given that hold a password, hidden in full wherever they appear. */
const known = new Set<string>();

/**
 * Remembers a connection string Sluice was given (--url, DATABASE_URL, the
 * config, --shadow-url, --dev-url), so that `redactText` hides it even where
 * its password holds spaces or quotes no pattern could delimit.
 */
export function rememberConnectionString(url: string | undefined): void {
  if (url && redactUrl(url) !== url) known.add(url);
}

/**
 * Hides the passwords of the connection strings in a message — those
 * remembered, any `scheme://user:password@…`, any `password=…` — and leaves
 * the rest of the text as it is: a password's characters elsewhere in the
 * message are not touched.
 */
export function redactText(text: string): string {
  let out = text;
  for (const url of known) if (out.includes(url)) out = out.split(url).join(redactUrl(url));
  return out.replace(URL_IN_TEXT, (u) => redactUrl(u)).replace(PASSWORD_PARAM, "$1$2***");
}

/** `value` (a result or error document) with `redactText` applied to every string in it. */
export function redactValue<T>(value: T): T {
  if (typeof value === "string") return redactText(value) as T;
  if (Array.isArray(value)) return value.map(redactValue) as T;
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)])) as T;
  }
  return value;
}

/**
 * Why a `postgres://` URL cannot be used as written, when it cannot: a
 * password with an unencoded `#`, `/` or `?` ends the URL's host part early,
 * so the URL either does not parse or names another host.
 */
function serverUrlProblem(url: string): string | undefined {
  if (url.includes("#")) return "it holds a `#`, which ends a URL's address (a password with `#` must be written %23)";
  try {
    new URL(url);
  } catch {
    return "it does not parse as a URL (a `/` or `?` in a password ends the address)";
  }
  return undefined;
}

/**
 * Parses a database URL: `postgres://…`/`postgresql://…` for a server,
 * `pglite:<dir>` or `pglite:memory` for embedded PGlite. A relative PGlite
 * directory is taken relative to `baseDir`. A server URL that is malformed
 * (an unencoded `#` in its password, …) is refused with what to do.
 */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget | undefined {
  rememberConnectionString(url);
  if (/^postgres(ql)?:\/\//i.test(url)) {
    const problem = serverUrlProblem(url);
    if (problem) {
      throw new SluiceError("usage", `The database URL ${redactUrl(url)} cannot be used: ${problem}.`, { hint: ENCODE_URL_HINT });
    }
    return { kind: "pg", url, displayUrl: redactUrl(url) };
  }
  const m = /^pglite:(.*)$/i.exec(url);
  if (!m) return undefined;
  const rest = m[1].replace(/^\/\/(?=\/)/, "");
  if (rest === "memory" || rest === "memory://" || rest === "//memory") {
    return { kind: "pglite", dataDir: null, displayUrl: "pglite:memory" };
  }
  if (!rest) return undefined;
  const dir = path.resolve(baseDir, rest);
  return { kind: "pglite", dataDir: dir, displayUrl: `pglite:${rest}` };
}
