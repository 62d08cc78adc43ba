import { splitStatements } from "./parse.js";

/**
 * The extensions SQL text creates (`CREATE EXTENSION [IF NOT EXISTS] name …`),
 * read from PostgreSQL's parse tree. Text that does not parse creates none
 * here; running it says what is wrong.
 */
export async function createdExtensions(texts: Iterable<string>): Promise<string[]> {
  const names = new Set<string>();
  for (const text of texts) {
    if (!/extension/i.test(text)) continue;
    const statements = await splitStatements(text).catch(() => []);
    for (const st of statements) {
      const create = (st.ast as { CreateExtensionStmt?: { extname?: string } }).CreateExtensionStmt;
      if (create?.extname) names.add(create.extname);
    }
  }
  return [...names].sort();
}
