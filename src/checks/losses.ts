import type { CheckedStatement } from "./types.js";
import { alterTableCommands, body, nameList, relationName, statementTable, tableKey, type Json } from "./sql.js";

/** Object types whose DROP loses data or breaks everything that uses them. */
const DROPPED: Record<string, string> = {
  OBJECT_TABLE: "table",
  OBJECT_INDEX: "index",
  OBJECT_TYPE: "type",
  OBJECT_DOMAIN: "type",
  OBJECT_SCHEMA: "schema",
  OBJECT_SEQUENCE: "sequence",
  OBJECT_MATVIEW: "materialized view",
  OBJECT_VIEW: "view",
};

/** A table as a statement names it: its schema when written, and its name as PostgreSQL reads it. */
export interface TableName {
  readonly schema: string | undefined;
  readonly name: string;
}

/** Rows a statement removes: every row of a table, the values of one column, or the rows a WHERE picks. */
export interface RowsLost {
  readonly table: TableName;
  /** The column whose values are lost (DROP COLUMN). */
  readonly column?: string;
  /** A DELETE with a WHERE: only some rows go, but which cannot be told before it runs. */
  readonly someRows?: boolean;
}

export interface Loss {
  /** Identity of the object, to match what the upgrade created: `table:t`, `column:t.c`, … */
  readonly key: string;
  readonly what: string;
  /** Set when what is lost is rows (not an index, a view, a constraint …). */
  readonly rows?: RowsLost;
}

export function dropName(obj: Json): string {
  if (obj?.List) return nameList(obj.List.items);
  if (obj?.TypeName) return nameList(obj.TypeName.names);
  if (obj?.String) return obj.String.sval;
  return "";
}

function rangeVarName(rv: Json): TableName {
  return { schema: rv?.schemaname || undefined, name: rv?.relname ?? "" };
}

function listName(items: Json[] | undefined): TableName {
  const parts = (items ?? []).map((i: Json) => i?.String?.sval ?? "").filter(Boolean);
  return parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1] } : { schema: undefined, name: parts[0] ?? "" };
}

/** What a statement destroys (nothing for most statements). */
export function losses(s: CheckedStatement): Loss[] {
  const b = body(s.ast, s.kind);
  switch (s.kind) {
    case "DropStmt": {
      const type = DROPPED[b.removeType];
      if (!type) return [];
      return (b.objects ?? []).map((o: Json) => {
        const name = tableKey(dropName(o));
        const loss = { key: `${type === "materialized view" || type === "view" ? "table" : type}:${name}`, what: `DROP ${type.toUpperCase()} ${name}` };
        return type === "table" ? { ...loss, rows: { table: listName(o.List?.items) } } : loss;
      });
    }
    case "DropdbStmt":
      return [{ key: `database:${b.dbname}`, what: `DROP DATABASE ${b.dbname}` }];
    case "TruncateStmt":
      return (b.relations ?? []).map((r: Json) => {
        const name = tableKey(relationName(r.RangeVar));
        return { key: `table:${name}`, what: `TRUNCATE ${name} (every row)`, rows: { table: rangeVarName(r.RangeVar) } };
      });
    case "DeleteStmt":
      return b.whereClause ? [] : [{ key: `table:${statementTable(s)}`, what: `DELETE FROM ${statementTable(s)} without WHERE (every row)`, rows: { table: rangeVarName(b.relation) } }];
    case "UpdateStmt":
      return b.whereClause ? [] : [{ key: `table:${statementTable(s)}`, what: `UPDATE ${statementTable(s)} without WHERE (every row overwritten)` }];
    case "AlterTableStmt": {
      const table = statementTable(s);
      const out: Loss[] = [];
      for (const c of alterTableCommands(s)) {
        if (c.subtype === "AT_DropColumn") out.push({ key: `column:${table}.${c.name}`, what: `DROP COLUMN ${table}.${c.name}`, rows: { table: rangeVarName(b.relation), column: c.name } });
        if (c.subtype === "AT_DropConstraint") out.push({ key: `constraint:${c.name}`, what: `DROP CONSTRAINT ${c.name} on ${table}` });
      }
      return out;
    }
    default:
      return [];
  }
}

/**
 * The rows a statement removes: DROP TABLE, DROP COLUMN, TRUNCATE and DELETE
 * (with or without WHERE). Whether any rows are there to lose is for the
 * database to say.
 */
export function rowLosses(s: CheckedStatement): (Loss & { rows: RowsLost })[] {
  if (s.kind === "DeleteStmt") {
    const b = body(s.ast, s.kind);
    if (b.whereClause) return [{ key: `table:${statementTable(s)}`, what: `DELETE FROM ${statementTable(s)} WHERE …`, rows: { table: rangeVarName(b.relation), someRows: true } }];
  }
  return losses(s).filter((l): l is Loss & { rows: RowsLost } => l.rows !== undefined);
}
