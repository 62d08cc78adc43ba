import fs from "node:fs";
import { z } from "zod";
import { SluiceError } from "../errors.js";
import type { CommonOptions } from "../commands/context.js";

export interface ToolContext {
  readonly common: CommonOptions;
  readonly allowApply: boolean;
  readonly allowDowngrade: boolean;
  /** `--allow-destructive`: the agent's own acknowledgements count. */
  readonly allowDestructive: boolean;
  /** `--allow-data-loss`: the agent's downgrade may drop data. */
  readonly allowDataLoss: boolean;
}

/** One MCP tool: a typed input and a library call returning the CLI's JSON document. */
export interface Tool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: Shape;
  readonly annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
  run(args: z.infer<z.ZodObject<Shape>>, ctx: ToolContext): Promise<{ result: unknown; summary: string }>;
}

function tool<Shape extends z.ZodRawShape>(t: Tool<Shape>): Tool {
  return t as unknown as Tool;
}

const at = (revs: readonly string[]) => (revs.length ? revs.join(", ") : "base");

/** A refusal for a tool the human has not enabled; nothing runs. */
function notAllowed(toolName: string, flag: string): SluiceError {
  return new SluiceError("not-allowed", `${toolName} is disabled: this server was started without ${flag}, so it cannot change the database.`, {
    hint: `Ask the human to review the migration and either run \`sluice ${toolName}\` themselves, or restart the MCP server as \`sluice mcp ${flag}\` in the client's configuration.`,
  });
}

export const tools: Tool[] = [
  tool({
    name: "status",
    title: "Migration status",
    description: "Where the database is: current revision(s), the head on disk, the next sequential number and the pending revisions. Start here.",
    input: {},
    annotations: { readOnlyHint: true },
    async run(_args, ctx) {
      const { current } = await import("../commands/current.js");
      const r = await current(ctx.common);
      const drift = r.drifted.length ? ` Warning: ${r.drifted.length} applied migration(s) changed since they were applied.` : "";
      return { result: r, summary: `Database at ${at(r.current)}; head ${r.head ?? "none"}; next ${r.next}; pending: ${r.pending.length ? r.pending.join(", ") : "none"}.${drift}` };
    },
  }),
  tool({
    name: "history",
    title: "Migration history",
    description: "The chain of migrations, newest first: revision, down revision, message, file, applied or not and when.",
    input: {},
    annotations: { readOnlyHint: true },
    async run(_args, ctx) {
      const { history } = await import("../commands/history.js");
      const r = await history(ctx.common);
      const lines = r.revisions.slice(0, 30).map((e) => `${e.revision} ${e.applied ? "applied" : "pending"}  ${e.message}`);
      return { result: r, summary: lines.length ? lines.join("\n") : "No migrations yet." };
    },
  }),
  tool({
    name: "show_migration",
    title: "Show a migration",
    description: "A migration file's source and the SQL its upgrade and downgrade run. Read every migration this way before applying it.",
    input: { revision: z.string().min(1).describe('A revision id such as "060", or a unique prefix') },
    annotations: { readOnlyHint: true },
    async run(args, ctx) {
      const { showMigration } = await import("../commands/show.js");
      const { renderShow } = await import("../cli/render.js");
      const r = await showMigration({ ...ctx.common, revision: args.revision });
      return { result: r, summary: `${r.file}\n\n${r.source}\n\n${renderShow(r)}` };
    },
  }),
  tool({
    name: "describe_table",
    title: "Describe a table",
    description: "A table's columns (type, nullable, default), primary key, indexes with partial predicates, foreign keys out and in with ON DELETE, constraints and enum values — psql's \\d. Without a table, lists tables.",
    input: { table: z.string().min(1).optional().describe("A table name, or schema.table; omit to list tables") },
    annotations: { readOnlyHint: true },
    async run(args, ctx) {
      const { describe } = await import("../commands/describe.js");
      const { renderDescribe } = await import("../cli/render.js");
      const r = await describe({ ...ctx.common, table: args.table });
      return { result: r, summary: renderDescribe(r) };
    },
  }),
  tool({
    name: "diff",
    title: "Drift from the model",
    description: "Every difference between the database and the application's model (Drizzle schema or schema.sql), and the changes autogenerate would write for them. No drift means the database matches the model.",
    input: { fromChain: z.boolean().optional().describe("Compare the model with the chain replayed on a shadow instead of the database") },
    annotations: { readOnlyHint: true },
    async run(args, ctx) {
      const { diff } = await import("../commands/diff.js");
      const r = await diff({ ...ctx.common, fromChain: args.fromChain });
      const summary = r.drift ? `Drift between ${r.current} and ${r.model}:\n${r.differences.map((d) => `  ${d.text}`).join("\n")}` : `No drift: ${r.current} matches ${r.model}.`;
      return { result: r, summary };
    },
  }),
  tool({
    name: "check",
    title: "Check migrations",
    description: "Runs the pre-apply checklist and lock-safety rules. Default: the pending migrations. Error findings block upgrade; each finding says the line and the fix.",
    input: {
      revisions: z.array(z.string().min(1)).optional().describe('Revision ids such as ["060"]'),
      all: z.boolean().optional().describe("Check every migration file"),
    },
    annotations: { readOnlyHint: true },
    async run(args, ctx) {
      const { check } = await import("../commands/check.js");
      const { formatText } = await import("../checks/format.js");
      const { root, ...r } = await check({ ...ctx.common, revisions: args.revisions, all: args.all });
      return { result: r, summary: formatText(r, root) };
    },
  }),
  tool({
    name: "verify",
    title: "Verify on a shadow database",
    description: "Proves migrations on a throwaway shadow database (never the target): upgrade, downgrade must restore the schema exactly, upgrade again; reports locks taken and drift from the model.",
    input: {
      revisions: z.array(z.string().min(1)).optional().describe("Revision ids; default the pending ones"),
      all: z.boolean().optional().describe("Every revision from base"),
      data: z.boolean().optional().describe("Insert sample rows before each upgrade (default true; false proves on empty tables)"),
    },
    annotations: { readOnlyHint: true },
    async run(args, ctx) {
      const { verify } = await import("../commands/verify.js");
      const { renderVerify } = await import("../cli/render.js");
      const r = await verify({ ...ctx.common, revisions: args.revisions, all: args.all, data: args.data });
      return { result: r, summary: renderVerify(r) };
    },
  }),
  tool({
    name: "report",
    title: "Migration report",
    description: "The report of a migration (default: the last applied): file and revision, current state, backfills, constraint changes needing attention, findings, round trip and locks. Markdown in the text, JSON in structured content.",
    input: { revision: z.string().min(1).optional().describe("A revision id; default the last applied") },
    annotations: { readOnlyHint: true },
    async run(args, ctx) {
      const { report } = await import("../commands/report.js");
      const { renderReportMarkdown } = await import("../report/report.js");
      const r = await report({ ...ctx.common, revision: args.revision });
      return { result: r, summary: renderReportMarkdown(r) };
    },
  }),
  tool({
    name: "generate_migration",
    title: "Generate a migration",
    description:
      "Writes the next migration file after the head and returns its path, revision and text. Read the text before applying it.",
    input: {
      message: z.string().min(1).describe("What the migration does, e.g. add step_hash to cad_files"),
      autogenerate: z.boolean().optional().describe("Write the ops that turn the database into the model (needs `schema` in the config)"),
      fromChain: z.boolean().optional().describe("With autogenerate: compare the model with the chain replayed on a shadow, not the database"),
      renames: z.array(z.string()).optional().describe('With autogenerate: renames such as "products.sku=article_no" or "products=articles"'),
      sql: z.boolean().optional().describe("Write an empty .sql migration instead of .ts (not with autogenerate)"),
    },
    annotations: { readOnlyHint: false, destructiveHint: false },
    async run(args, ctx) {
      if (args.autogenerate) {
        const { autogenerate } = await import("../commands/autogenerate.js");
        const g = await autogenerate({ ...ctx.common, message: args.message, fromChain: args.fromChain, renames: args.renames });
        if (!g.written) return { result: { ...g, path: null, revision: null, text: null }, summary: `Nothing to change: ${g.currentSource} already matches ${g.model}. No file was written.` };
        const texts = g.files.map((f) => fs.readFileSync(f.path, "utf8"));
        const review = g.changes.some((c) => c.review) ? "\nIt has REVIEW comments: resolve each before applying." : "";
        return {
          result: { ...g, ...g.written, text: texts[0] },
          summary: `Wrote ${g.files.map((f) => `${f.file} (revision ${f.revision})`).join(" and ")}:\n${g.changes.map((c) => `  ${c.review ? "REVIEW " : ""}${c.summary}`).join("\n")}${review}\n\n${texts.join("\n")}`,
        };
      }
      const { revision } = await import("../commands/revision.js");
      const r = await revision({ ...ctx.common, message: args.message, sql: args.sql });
      const text = fs.readFileSync(r.path, "utf8");
      return { result: { ...r, text }, summary: `Wrote ${r.file} (revision ${r.revision}). Fill in upgrade and downgrade, then check it:\n\n${text}` };
    },
  }),
  tool({
    name: "upgrade",
    title: "Apply migrations",
    description: "Applies pending migrations up to a target (default head) under the migration lock. Only available when the human started the server with --allow-apply.",
    input: { target: z.string().min(1).optional().describe('head (default), +N, or a revision id such as "060"') },
    annotations: { readOnlyHint: false, destructiveHint: true },
    async run(args, ctx) {
      if (!ctx.allowApply) throw notAllowed("upgrade", "--allow-apply");
      const { upgrade } = await import("../commands/migrate.js");
      const { verify } = await import("../commands/verify.js");
      const { report } = await import("../commands/report.js");
      const { renderReportMarkdown } = await import("../report/report.js");
      // Prove first: a migration whose round trip fails never reaches the target.
      const proof = await verify(ctx.common);
      if (proof.revisions.some((p) => !p.ok)) {
        const { renderVerify } = await import("../cli/render.js");
        throw new SluiceError("verify-failed", `Refusing to upgrade: verification on a shadow database failed.\n${renderVerify(proof)}`, {
          exitCode: 1,
          hint: "Fix the migration (its downgrade must restore the schema exactly), then call upgrade again.",
        });
      }
      // The checks run inside upgrade and refuse on errors.
      const r = await upgrade({ ...ctx.common, target: args.target ?? "head", agent: true, allowDestructive: ctx.allowDestructive });
      const last = r.steps[r.steps.length - 1];
      const rep = last ? await report({ ...ctx.common, revision: last.revision, verified: proof }) : undefined;
      const steps = r.steps.map((s) => `${s.revision} ${s.message} (${s.ms} ms)`).join("\n");
      const summary = r.steps.length ? `Applied:\n${steps}\nThe database is at ${at(r.to)}.\n\n${rep ? renderReportMarkdown(rep) : ""}` : `Nothing to apply; the database is at ${at(r.to)}.`;
      return { result: { ...r, verify: proof, report: rep ?? null }, summary };
    },
  }),
  tool({
    name: "downgrade",
    title: "Roll migrations back",
    description: "Rolls migrations back to a target (-1, base, a revision). Only available when the human started the server with --allow-downgrade.",
    input: { target: z.string().min(1).describe('-1, -N, base, or a revision id such as "059"') },
    annotations: { readOnlyHint: false, destructiveHint: true },
    async run(args, ctx) {
      if (!ctx.allowDowngrade) throw notAllowed("downgrade", "--allow-downgrade");
      const { downgrade } = await import("../commands/migrate.js");
      let r;
      try {
        // Never allowed by the agent's say-so: data loss needs the human's flag at server start.
        r = await downgrade({ ...ctx.common, target: args.target, allowDataLoss: ctx.allowDataLoss });
      } catch (err) {
        if (err instanceof SluiceError && err.code === "data-loss") {
          throw new SluiceError(err.code, err.message, {
            exitCode: err.exitCode,
            details: err.details,
            hint: `Data loss needs the human: show them what would be lost, and let them run \`sluice downgrade ${args.target} --yes\` themselves (or restart this server with --allow-data-loss).`,
          });
        }
        throw err;
      }
      return { result: r, summary: `Rolled back ${r.steps.map((s) => s.revision).join(", ") || "nothing"}; the database is at ${at(r.to)}.` };
    },
  }),
];
