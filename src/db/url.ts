import path from "node:path";

export type DatabaseTarget =
  | { kind: "pg"; url: string; displayUrl: string }
  | { kind: "pglite"; dataDir: string | null; displayUrl: string };

/** Replaces the password of a connection URL (and `password=` parameters) with `***`. */
export function redactUrl(url: string): string {
  let out = url;
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = "***";
      out = u.toString();
    }
  } catch {
    out = url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
  }
  return out.replace(/(password=)[^&\s]*/gi, "$1***");
}

/** Removes any credential-looking text from a message before it is printed. */
export function redactText(text: string, secrets: string[] = []): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/g, "$1***@");
  for (const s of secrets) if (s) out = out.split(s).join("***");
  return out;
}

/**
 * Parses a database URL: `postgres://…`/`postgresql://…` for a server,
 * `pglite:<dir>` or `pglite:memory` for embedded PGlite. A relative PGlite
 * directory is taken relative to `baseDir`.
 */
export function parseDatabaseUrl(url: string, baseDir: string): DatabaseTarget | undefined {
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: "pg", url, displayUrl: redactUrl(url) };
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
