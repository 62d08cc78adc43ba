import { loadParser } from "../sql/parse.js";

/**
 * Makes a view definition printed by PostgreSQL 15 or older read as 16 and
 * later print it. Until 15 a view's range table also held the OLD and NEW
 * placeholders, so pg_get_viewdef qualified every column of a one-relation
 * query (`SELECT products.id FROM products`); from 16 it prints `SELECT id
 * FROM products`. This removes exactly those qualifiers: ColumnRefs of the
 * top query level whose FROM is one relation, found with PostgreSQL's parser
 * and cut by their location. Subqueries and CTEs keep their qualifiers, as
 * every version prints them. Returns the text unchanged when it does not parse.
 */
export async function unqualifyViewDefinition(definition: string): Promise<string> {
  const parser = await loadParser();
  let tree: any;
  try {
    tree = parser.parseSync(definition);
  } catch {
    return definition;
  }
  const select = tree?.stmts?.[0]?.stmt?.SelectStmt;
  if (!select || select.op !== "SETOP_NONE" || select.fromClause?.length !== 1) return definition;
  const from = select.fromClause[0];
  const refname: string | undefined =
    from.RangeVar?.alias?.aliasname ?? from.RangeVar?.relname ?? from.RangeSubselect?.alias?.aliasname ?? from.RangeFunction?.alias?.aliasname;
  if (!refname) return definition;

  const cuts: number[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "SubLink") {
        visit((value as { testexpr?: unknown }).testexpr);
      } else if (key === "ColumnRef") {
        const { fields, location } = value as { fields: any[]; location: number };
        if (fields.length === 2 && fields[0].String?.sval === refname && fields[1].String) cuts.push(location);
      } else if (key !== "fromClause" && key !== "withClause") {
        visit(value);
      }
    }
  };
  const { fromClause: _from, withClause: _with, ...topLevel } = select;
  visit(topLevel);
  if (!cuts.length) return definition;

  // Locations are byte offsets; cut from the end so earlier ones stay valid.
  let bytes = Buffer.from(definition, "utf8");
  for (const at of cuts.sort((a, b) => b - a)) {
    const end = qualifierEnd(bytes, at);
    if (end > at) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(end)]);
  }
  return bytes.toString("utf8");
}

/** The offset just past `name.` or `"quoted name".` starting at `at`, or `at` when it is neither. */
function qualifierEnd(bytes: Buffer, at: number): number {
  const DQUOTE = 0x22;
  const DOT = 0x2e;
  let i = at;
  if (bytes[i] === DQUOTE) {
    i++;
    while (i < bytes.length) {
      if (bytes[i] === DQUOTE) {
        if (bytes[i + 1] === DQUOTE) i += 2;
        else break;
      } else i++;
    }
    i++;
  } else {
    while (i < bytes.length && bytes[i] !== DOT && bytes[i] !== DQUOTE && bytes[i] > 0x20) i++;
  }
  return bytes[i] === DOT ? i + 1 : at;
}
