// Writes schema/sluice.config.schema.json from the config's zod schema, as the last step of `npm run build`;
// the file is built, never edited, so it cannot fall behind the rules or the keys.
import fs from "node:fs";
import { configJsonSchema } from "../dist/config/schema.js";

fs.mkdirSync(new URL("../schema/", import.meta.url), { recursive: true });
fs.writeFileSync(new URL("../schema/sluice.config.schema.json", import.meta.url), JSON.stringify(configJsonSchema(), null, 2) + "\n");
