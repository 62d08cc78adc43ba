// Loaded with `node --import` into a sluice process under test: records the
// longest time its event loop went without running a timer, into the file
// named by SLUICE_TEST_LOOP_PROBE, so a test can show the loop was blocked.
import fs from "node:fs";

const file = process.env.SLUICE_TEST_LOOP_PROBE;
if (file) {
  let last = Date.now();
  let longest = 0;
  setInterval(() => {
    const now = Date.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 50).unref();
  process.on("exit", () => fs.writeFileSync(file, String(Math.max(longest, Date.now() - last))));
}
