import type { Op, OpKind } from "../ops/types.js";
import { undoOf, type Change } from "./compare/index.js";
import { commentLine } from "../text.js";

/**
 * The positional arguments of each `op.<kind>(…)` call, in order (see
 * OpBuilder); every other field goes into the options object at the end.
 */
const POSITIONAL: { [K in OpKind]: readonly string[] } = {
  execute: ["sql"],
  createTable: ["table", "columns"],
  dropTable: ["table"],
  renameTable: ["table", "newName"],
  addColumn: ["table", "column"],
  dropColumn: ["table", "column"],
  alterColumn: ["table", "column"],
  renameColumn: ["table", "column", "newName"],
  createIndex: ["name", "table", "columns"],
  dropIndex: ["name"],
  createForeignKey: ["name", "table", "columns", "refTable", "refColumns"],
  createUniqueConstraint: ["name", "table", "columns"],
  createCheckConstraint: ["name", "table", "expression"],
  createPrimaryKey: ["name", "table", "columns"],
  validateConstraint: ["name", "table"],
  dropConstraint: ["name", "table"],
  createEnum: ["name", "values"],
  addEnumValue: ["enum", "value"],
  dropEnum: ["name"],
  createPolicy: ["name", "table"],
  dropPolicy: ["name", "table"],
  enableRowLevelSecurity: ["table"],
  disableRowLevelSecurity: ["table"],
  createRole: ["name"],
  alterRole: ["name", "to"],
  dropRole: ["name"],
};

/** Fields left out of the file: a drop's `existing` is what its downgrade line recreates, shown there. */
const OMIT: Partial<Record<OpKind, readonly string[]>> = {
  dropTable: ["existing"],
  dropColumn: ["existing"],
  dropIndex: ["existing"],
  dropConstraint: ["existing"],
  dropEnum: ["existing"],
  dropPolicy: ["existing"],
  dropRole: ["existing"],
  execute: ["reverseSql"],
};

const INDENT = "    ";
const WIDTH = 110;

/** One op as the TypeScript call a migration author would write: `op.addColumn("products", { … });`. */
export function renderOpCall(op: Op, indent = INDENT): string {
  const record = op as unknown as Record<string, unknown>;
  const positional = POSITIONAL[op.kind];
  const args = positional.map((k) => record[k]);
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    if (k === "kind" || positional.includes(k) || v === undefined || OMIT[op.kind]?.includes(k)) continue;
    rest[k] = v;
  }
  // alterColumn's changes are its third argument, required even when empty.
  if (Object.keys(rest).length || op.kind === "alterColumn") args.push(rest);
  const inline = `${indent}op.${op.kind}(${args.map((a) => literal(a, indent, true)).join(", ")});`;
  if (inline.length <= WIDTH && !inline.includes("\n")) return inline;
  // Short arguments stay on the call's line and the one long array or object opens below it.
  const parts = args.map((a) => literal(a, indent, false));
  if (!parts.some((p) => p.includes("\n"))) {
    // Everything fits alone but not together: open a trailing options object (or list of objects).
    const last = args[args.length - 1];
    const opens = typeof last === "object" && last !== null && (!Array.isArray(last) || last.some((x) => typeof x === "object"));
    if (opens) parts[parts.length - 1] = expanded(last, indent);
  }
  const hugged = `${indent}op.${op.kind}(${parts.join(", ")});`;
  const firstLine = hugged.split("\n")[0];
  if (parts.filter((p) => p.includes("\n")).length === 1 && firstLine.length <= WIDTH) return hugged;
  const inner = indent + "  ";
  return `${indent}op.${op.kind}(\n${args.map((a) => `${inner}${literal(a, inner, false)},`).join("\n")}\n${indent});`;
}

/** A value as a TypeScript literal: inline when short, one entry per line when not. */
function literal(value: unknown, indent: string, preferInline: boolean): string {
  if (typeof value === "string") return stringLiteral(value, indent);
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const inline = inlineLiteral(value);
  if (!inline.includes("\n") && (preferInline || indent.length + inline.length <= WIDTH) && indent.length + inline.length <= WIDTH) return inline;
  return expanded(value, indent);
}

/** An array or object with one entry per line. */
function expanded(value: unknown, indent: string): string {
  const inner = indent + "  ";
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${literal(v, inner, false)},`).join("\n")}\n${indent}]`;
  const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
  return `{\n${entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${literal(v, inner, false)},`).join("\n")}\n${indent}}`;
}

function inlineLiteral(value: unknown): string {
  if (typeof value === "string") return value.includes("\n") ? "\n" : JSON.stringify(value);
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inlineLiteral).join(", ")}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return entries.length ? `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${inlineLiteral(v)}`).join(", ")} }` : "{}";
}

function propertyKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
}

/** Multi-line SQL as a template literal, indented under the call; anything else as a JSON string. */
function stringLiteral(value: string, indent: string): string {
  if (!value.includes("\n")) return JSON.stringify(value);
  const escaped = value.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
  return `\`\n${escaped.split("\n").map((l) => (l ? `${indent}  ${l}` : l)).join("\n")}\n${indent}\``;
}

function comments(lines: readonly string[], prefix: string): string[] {
  return lines.map((l, i) => `${INDENT}${commentLine("//", `${i === 0 ? prefix : ""}${l}`)}`);
}

export interface RenderedMigration {
  /** The body of `upgrade(op) { … }`, each line indented and ending in a newline. */
  readonly upgrade: string;
  /** The body of `downgrade(op) { … }`: the upgrade's changes undone, in reverse order. */
  readonly downgrade: string;
}

/**
 * Writes changes as the bodies of a migration's `upgrade()` and
 * `downgrade()`: one op call per change, REVIEW comments above the ones a
 * person must read, and the undo of each change in reverse order below.
 */
export function renderChanges(changes: readonly Change[]): RenderedMigration {
  const up: string[] = [];
  for (const c of changes) {
    if (c.review?.length) up.push(...c.review.map((r) => `${INDENT}${commentLine("//", `REVIEW: ${r}`)}`));
    up.push(renderOpCall(c.op));
    if (c.todo?.length) up.push(...comments(c.todo, ""));
  }
  const down: string[] = [];
  for (const c of [...changes].reverse()) {
    const undo = undoOf(c);
    if (c.downgradeNote?.length) down.push(...c.downgradeNote.map((n) => `${INDENT}${commentLine("//", `NOTE: ${n}`)}`));
    if (undo === undefined) {
      down.push(`${INDENT}${commentLine("//", `REVIEW: cannot be undone automatically: ${c.summary}`)}`);
      continue;
    }
    for (const op of undo) down.push(renderOpCall(op));
  }
  const body = (lines: string[]) => (lines.length ? `${lines.join("\n")}\n` : "");
  return { upgrade: body(up), downgrade: body(down) };
}
