#!/usr/bin/env node
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// Sluice runs from the compiled dist/: say what to do when it is missing instead of a module-not-found stack trace.
const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!fs.existsSync(entry)) {
  const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const checkout = fs.existsSync(path.join(root, "src"));
  process.stderr.write(
    checkout
      ? `error: this checkout of Sluice is not built (no dist/ in ${root}); run \`npm run build\` there\n`
      : `error: this copy of Sluice was packed without its build (no dist/ in ${root}); install it again without --ignore-scripts\n`,
  );
  process.exit(2);
}
const { main } = await import(entry.href);
main(process.argv).then((code) => {
  process.exitCode = code;
});
