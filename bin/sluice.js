#!/usr/bin/env node
import fs from "node:fs";
import { fileURLToPath } from "node:url";

// A git checkout runs from the compiled dist/; say how to build it instead of a module-not-found stack trace.
const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!fs.existsSync(entry)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  process.stderr.write(`error: this copy of Sluice is not built (no dist/ in ${root}); run \`npm run build\` there\n`);
  process.exit(2);
}
const { main } = await import(entry.href);
main(process.argv).then((code) => {
  process.exitCode = code;
});
