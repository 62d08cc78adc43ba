import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { SluiceError } from "../errors.js";
import { pgErrorInfo } from "../db/types.js";
import { redactText, redactValue, rememberConnectionString } from "../db/url.js";
import { SLUICE_VERSION } from "../version.js";
import type { CommonOptions } from "../commands/context.js";
import { tools, type ToolContext } from "./tools.js";

export interface McpOptions {
  cwd: string;
  config?: string;
  url?: string;
  /** Lets the agent run `upgrade` (checked and verified first). */
  allowApply: boolean;
  /** Lets the agent run `downgrade`. */
  allowDowngrade: boolean;
  /** Counts acknowledgements the agent wrote itself; otherwise only those in committed or human-approved files count. */
  allowDestructive?: boolean;
  /** Lets the agent's downgrade drop data (tables with rows, columns with values). */
  allowDataLoss?: boolean;
}

const docsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "docs");

/**
 * The MCP server: each tool is a library function with a typed input; results
 * are the same JSON documents as the CLI's `--json`. There is no tool that runs
 * arbitrary SQL, and the tools that change the database exist only as refusals
 * unless the human started the server with --allow-apply / --allow-downgrade.
 * Every run is marked as the agent's, so the library counts only acknowledgements
 * a human committed or approved; no tool approves anything.
 */
export function createMcpServer(opts: McpOptions): McpServer {
  const server = new McpServer({ name: "sluice", version: SLUICE_VERSION }, { capabilities: { logging: {} } });
  // Protocol owns stdout: progress and warnings go to stderr.
  rememberConnectionString(opts.url);
  rememberConnectionString(process.env.DATABASE_URL);
  const common: CommonOptions = { cwd: opts.cwd, config: opts.config, url: opts.url, log: (line) => process.stderr.write(`${redactText(line)}\n`) };
  const ctx: ToolContext = {
    common,
    allowApply: opts.allowApply,
    allowDowngrade: opts.allowDowngrade,
    allowDestructive: !!opts.allowDestructive,
    allowDataLoss: !!opts.allowDataLoss,
  };

  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, annotations: tool.annotations },
      async (args: unknown) => {
        try {
          const { result, summary } = await tool.run(args as never, ctx);
          // No password reaches the agent, whatever a result or a migration's text holds.
          return { content: [{ type: "text" as const, text: redactText(summary) }], structuredContent: redactValue(result as Record<string, unknown>) };
        } catch (err) {
          return toolError(err);
        }
      },
    );
  }

  server.registerResource(
    "migration",
    new ResourceTemplate("sluice://migrations/{file}", {
      list: async () => {
        const { openProject } = await import("../commands/context.js");
        const { chain } = await openProject(common);
        return {
          resources: chain.migrations.map((m) => ({
            uri: `sluice://migrations/${path.basename(m.file)}`,
            name: path.basename(m.file),
            description: `${m.revision}: ${m.message}`,
            mimeType: m.format === "sql" ? "application/sql" : "text/x-typescript",
          })),
        };
      },
    }),
    { description: "A migration file of the chain" },
    async (uri, vars) => {
      const { openProject } = await import("../commands/context.js");
      const { chain } = await openProject(common);
      const m = chain.migrations.find((x) => path.basename(x.file) === String(vars.file));
      if (!m) throw new Error(`No migration file named ${String(vars.file)}.`);
      return { contents: [{ uri: uri.href, mimeType: m.format === "sql" ? "application/sql" : "text/x-typescript", text: fs.readFileSync(m.absPath, "utf8") }] };
    },
  );

  server.registerResource(
    "check-doc",
    new ResourceTemplate("sluice://docs/checks/{id}", {
      list: async () => ({
        resources: listDocs().map((id) => ({ uri: `sluice://docs/checks/${id}`, name: id, mimeType: "text/markdown" })),
      }),
    }),
    { description: "The documentation page of a check rule" },
    async (uri, vars) => {
      const id = String(vars.id);
      if (!listDocs().includes(id)) throw new Error(`No check rule named ${id}.`);
      return { contents: [{ uri: uri.href, mimeType: "text/markdown", text: fs.readFileSync(path.join(docsDir, "checks", `${id}.md`), "utf8") }] };
    },
  );
  return server;
}

function listDocs(): string[] {
  const dir = path.join(docsDir, "checks");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) => f.slice(0, -3)).sort();
}

function toolError(err: unknown) {
  let doc: Record<string, unknown>;
  let text: string;
  if (err instanceof SluiceError) {
    doc = redactValue(err.toJSON());
    text = redactText(`${err.message}${err.hint ? `\nWhat to do: ${err.hint}` : ""}`);
  } else if (pgErrorInfo(err)) {
    const info = pgErrorInfo(err)!;
    text = `PostgreSQL ${info.code}: ${redactText(info.message)}`;
    doc = { error: "database", message: text, pgCode: info.code };
  } else {
    text = `Internal error: ${redactText((err as Error)?.message ?? String(err))}`;
    doc = { error: "internal", message: text };
  }
  return { isError: true, content: [{ type: "text" as const, text }], structuredContent: doc };
}

/** Serves MCP on stdin/stdout until stdin closes. */
export async function serveMcp(opts: McpOptions): Promise<void> {
  const server = createMcpServer(opts);
  const transport = new StdioServerTransport();
  // A malformed line from the client is reported and skipped; the server keeps serving.
  transport.onerror = (err) => process.stderr.write(`sluice mcp: ignored a malformed message: ${err.message}\n`);
  await server.connect(transport);
}
