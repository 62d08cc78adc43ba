import type { CheckedStatement, Report, Rule } from "../types.js";
import { body, type Json } from "../sql.js";
import { longIdentifiers, MAX_IDENTIFIER_BYTES as MAX_BYTES } from "../tokens.js";

/** Keys of parse-tree nodes that name an object a statement defines. */
const NAME_KEYS = new Set(["relname", "colname", "idxname", "conname", "newname", "schemaname", "trigname", "policy_name", "dbname"]);
/** Keys under which a statement names objects it only refers to (the table altered, a foreign key's target, a column's type). */
const REFERENCES = new Set(["relation", "pktable", "typeName", "table", "funcname", "args", "raw_expr", "cooked_expr", "where_clause", "whereClause", "query", "returnType", "sql_body"]);
/** Statements whose defined name is a list of String nodes. */
const NAME_LISTS: Record<string, string> = { CreateEnumStmt: "typeName", CreateDomainStmt: "domainname", CreateFunctionStmt: "funcname", DefineStmt: "defnames" };

/** The names a statement defines: its table, columns, constraints, index, new name, … (not the existing objects it refers to). */
function definedNames(s: CheckedStatement): string[] {
  const b = body(s.ast, s.kind);
  if (!b || s.kind === "VariableSetStmt" || s.kind === "SelectStmt" || s.kind === "UpdateStmt" || s.kind === "InsertStmt" || s.kind === "DeleteStmt") return [];
  const out: string[] = [];
  if (s.kind === "RenameStmt") return typeof b.newname === "string" ? [b.newname] : [];
  if (s.kind === "CreateStmt" || s.kind === "CreateSeqStmt") out.push(b.relation?.relname ?? b.sequence?.relname);
  if (s.kind === "CreateTableAsStmt") out.push(b.into?.rel?.relname);
  if (s.kind === "ViewStmt") out.push(b.view?.relname);
  if (s.kind === "CompositeTypeStmt") out.push(b.typevar?.relname);
  const list = NAME_LISTS[s.kind];
  if (list) out.push(...(b[list] ?? []).map((n: Json) => n?.String?.sval));
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) visit(n);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      for (const k in o) {
        const v = o[k];
        if (NAME_KEYS.has(k) && typeof v === "string") out.push(v);
        else if (v && typeof v === "object" && !REFERENCES.has(k)) visit(v);
      }
    }
  };
  visit(b);
  return out.filter((n): n is string => typeof n === "string");
}

/** Correctness: an identifier over 63 bytes is silently truncated, so the object gets another name than the one written. */
export const identifierTooLong: Rule = {
  id: "identifier-too-long",
  category: "correctness",
  severity: "warning",
  summary: "An identifier longer than 63 bytes, which PostgreSQL silently truncates.",
  squawk: ["identifier-too-long"],
  check(m) {
    const out: Report[] = [];
    for (const s of m.upgrade) {
      // The parse tree holds names already cut to 63 bytes; the scanner's tokens still have them as written.
      const long = longIdentifiers(s.sql);
      if (!long.size) continue;
      for (const cut of new Set(definedNames(s).filter((n) => long.has(n)))) {
        const name = long.get(cut)!;
        out.push({
          statement: s,
          message: `${name} is ${Buffer.byteLength(name)} bytes long: PostgreSQL keeps only the first ${MAX_BYTES} (${cut}), so the catalog and error messages show another name than the one written, and two names alike in their first ${MAX_BYTES} bytes collide.`,
          fix: `Shorten it to at most ${MAX_BYTES} bytes.`,
        });
      }
    }
    return out;
  },
};
