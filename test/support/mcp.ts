import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "bin", "sluice.js");

/** Starts `sluice mcp` in `cwd` with `flags` and connects the SDK's client to it over stdio, as an agent's client does. */
export async function connect(cwd: string, flags: string[] = []): Promise<Client> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== "DATABASE_URL") env[k] = v;
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, "mcp", ...flags], cwd, env, stderr: "pipe" });
  const client = new Client({ name: "sluice-test", version: "1.0.0" });
  await client.connect(transport);
  return client;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ToolResult = { isError?: boolean; structuredContent?: any; content: { type: string; text: string }[] };
export const call = (c: Client, name: string, args: Record<string, unknown> = {}) => c.callTool({ name, arguments: args }) as Promise<ToolResult>;
