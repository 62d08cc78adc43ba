import fs from "node:fs";
import path from "node:path";
import { tempDir } from "./databases.js";

/** A project folder with a config pointing at `url` and the given migration files. */
export function makeProject(url: string | undefined, files: Record<string, string> = {}): string {
  const dir = tempDir("proj");
  const database = url ? `  database: ${JSON.stringify(url)},\n` : "";
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({\n${database}  migrations: "./migrations",\n});\n`);
  fs.mkdirSync(path.join(dir, "migrations"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, "migrations", name), text);
  return dir;
}

export function writeMigration(dir: string, name: string, text: string): void {
  fs.writeFileSync(path.join(dir, "migrations", name), text);
}

export function sqlMigration(rev: string, down: string | null, message: string, up: string, downSql: string, extraHeader = ""): string {
  return `-- sluice:revision ${rev}\n-- sluice:down-revision ${down ?? "none"}\n-- sluice:message ${message}\n${extraHeader}-- sluice:upgrade\n${up}\n-- sluice:downgrade\n${downSql}\n`;
}

export function tsMigration(rev: string, down: string | null, message: string, up: string, downBody: string, extra = ""): string {
  return `import { defineMigration } from "sluice";

export default defineMigration({
  revision: ${JSON.stringify(rev)},
  downRevision: ${down === null ? "null" : JSON.stringify(down)},
  message: ${JSON.stringify(message)},${extra}
  upgrade(op) {
${up}
  },
  downgrade(op) {
${downBody}
  },
});
`;
}
