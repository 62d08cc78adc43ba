import fs from "node:fs";
import path from "node:path";
import { tempDir } from "../support/databases.js";

/** The tables every fixture migration builds on (revision 001). */
export const BASE = `-- sluice:revision 001
-- sluice:down-revision none
-- sluice:message base
-- sluice:upgrade
CREATE TABLE parents (id uuid PRIMARY KEY);
CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, sku text, price numeric(10,2));
CREATE TYPE mediaassettype AS ENUM ('image');
-- sluice:downgrade
DROP TYPE mediaassettype;
DROP TABLE products;
DROP TABLE parents;
`;

export interface Fixture {
  /** The body of upgrade(op) in a .ts migration. */
  readonly ts?: string;
  /** The upgrade section of a .sql migration. */
  readonly sql?: string;
  /** Extra properties of the .ts migration (`transactional: false,`) or header lines of the .sql one. */
  readonly tsOptions?: string;
  readonly sqlHeader?: string;
  /** The downgrade; a harmless statement by default. */
  readonly tsDown?: string;
  readonly sqlDown?: string;
  /** The config object's source, when the fixture needs one ("{ lockTimeout: 0 }"). */
  readonly config?: string;
}

/** A project folder with the base migration and `fixture` as revision 002 in the given form. */
export function project(fixture: Fixture, form: "ts" | "sql", config = "{}"): string {
  const dir = tempDir("check");
  fs.mkdirSync(path.join(dir, "migrations"));
  fs.writeFileSync(
    path.join(dir, "sluice.config.ts"),
    `import { defineConfig } from "sluice";\nexport default defineConfig({ database: "pglite:.sluice/db", ...${config} });\n`,
  );
  fs.writeFileSync(path.join(dir, "migrations", "001_base.sql"), BASE);
  if (form === "ts") {
    fs.writeFileSync(
      path.join(dir, "migrations", "002_change.ts"),
      `import { defineMigration } from "sluice";

export default defineMigration({
  revision: "002",
  downRevision: "001",
  message: "change",
  ${fixture.tsOptions ?? ""}
  upgrade(op) {
    ${fixture.ts}
  },
  downgrade(op) {
    ${fixture.tsDown ?? 'op.execute("SELECT 1");'}
  },
});
`,
    );
  } else {
    fs.writeFileSync(
      path.join(dir, "migrations", "002_change.sql"),
      `-- sluice:revision 002
-- sluice:down-revision 001
-- sluice:message change
${fixture.sqlHeader ?? ""}
-- sluice:upgrade
${fixture.sql}
-- sluice:downgrade
${fixture.sqlDown ?? "SELECT 1;"}
`,
    );
  }
  return dir;
}
