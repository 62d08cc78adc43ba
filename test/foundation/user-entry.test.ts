import { describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { targets } from "../support/databases.js";
import { sluice } from "../support/cli.js";
import { makeProject } from "../support/project.js";

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src");

/** A migration whose message lists the names its `sluice` import holds; `extraImport` sends it down the full loader. */
function namesMigration(rev: string, down: string | null, extraImport = "", from = "sluice"): string {
  return `${extraImport}import * as sluice from ${JSON.stringify(from)};

export default sluice.defineMigration({
  revision: ${JSON.stringify(rev)},
  downRevision: ${down === null ? "null" : JSON.stringify(down)},
  // "default" is the CommonJS interop's own, added to any namespace import.
  message: "names " + Object.keys(sluice).filter((k) => k !== "default").sort().join(" "),
  upgrade(op) {
    op.execute("CREATE TABLE t${rev} (id int)");
  },
  downgrade(op) {
    op.execute("DROP TABLE t${rev}");
  },
});
`;
}

const DECLARATIONS = "names defineConfig defineMigration";

describe("files Sluice loads get the declaration entry as `sluice`", () => {
  it("a migration that imports only sluice, one that imports more, and one that imports sluice/define see defineMigration and defineConfig, nothing else", async () => {
    const dir = makeProject(undefined, {
      "001_a.ts": namesMigration("001", null),
      "002_b.ts": namesMigration("002", "001", `import path from "node:path";\nvoid path;\n`),
      "003_c.ts": namesMigration("003", "002", "", "sluice/define"),
    });
    const r = await sluice(dir, ["history", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const messages = r.json.revisions.map((e: { message: string }) => e.message);
    expect(messages).toEqual([DECLARATIONS, DECLARATIONS, DECLARATIONS]);
  });

  it("a config file sees the same entry", async () => {
    const dir = makeProject(undefined);
    fs.writeFileSync(
      path.join(dir, "sluice.config.ts"),
      `import fs from "node:fs";
import * as sluice from "sluice";
fs.writeFileSync("names.txt", Object.keys(sluice).sort().join(" "));
export default sluice.defineConfig({ migrations: "./migrations" });
`,
    );
    const r = await sluice(dir, ["history"]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, "names.txt"), "utf8")).toBe("defineConfig defineMigration");
  });

  it("a migration that reads a library verb from sluice is refused naming the verb and what to do (exit 2)", async () => {
    const dir = makeProject(undefined, {
      "001_a.ts": `import { defineMigration, upgrade } from "sluice";

const run = upgrade;
export default defineMigration({
  revision: "001",
  downRevision: null,
  upgrade(op) { op.execute("SELECT 1"); void run; },
  downgrade(op) { op.execute("SELECT 1"); },
});
`,
    });
    const r = await sluice(dir, ["history"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('001_a.ts');
    expect(r.stderr).toMatch(/"upgrade" is not available from "sluice" in a file Sluice loads .*defineMigration, defineConfig and their types\. Call the library's other functions from a script of your own/);
  });
});

for (const target of targets) {
  describe(`the declaration entry on ${target.name}`, () => {
    it("migrations importing sluice and sluice/define apply and roll back", async () => {
      const tdb = await target.create();
      try {
        const dir = makeProject(tdb.url, { "001_a.ts": namesMigration("001", null), "002_b.ts": namesMigration("002", "001", "", "sluice/define") });
        const up = await sluice(dir, ["upgrade", "--json"]);
        expect(up.code, up.stderr).toBe(0);
        const db = await tdb.open();
        try {
          const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename IN ('t001', 't002')");
          expect(rows[0].n).toBe(2);
        } finally {
          await db.close();
        }
        const down = await sluice(dir, ["downgrade", "base"]);
        expect(down.code, down.stderr).toBe(0);
      } finally {
        await tdb.drop();
      }
    }, 120_000);
  });
}

/** Every src/ module a module imports: static, dynamic and type-only imports alike. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => path.resolve(path.dirname(file), name).replace(/\.js$/, ".ts"))
    .filter((f) => fs.existsSync(f));
}

function reachable(from: string): Set<string> {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    todo.push(...importsOf(f));
  }
  return seen;
}

const rel = (f: string) => path.relative(src, f).split(path.sep).join("/");

describe("the import graph of src/", () => {
  it("the declaration entry reaches only src/define and src/ops", () => {
    const parts = [...reachable(path.join(src, "define", "index.ts"))].map((f) => rel(f).split("/")[0]);
    expect([...new Set(parts)].sort()).toEqual(["define", "ops"]);
  });

  it("the loader of user files reaches no command, no library entry and nothing above it", () => {
    const reached = [...reachable(path.join(src, "modules", "load.ts"))].map(rel);
    expect(reached.filter((f) => !/^(modules|define|ops)\//.test(f))).toEqual([]);
  });

  it("has no import circle", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith(".ts")) files.push(p);
      }
    };
    walk(src);
    // Depth-first search; a module met again while still on the path closes a circle.
    const state = new Map<string, "open" | "done">();
    const circles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      state.set(f, "open");
      for (const g of importsOf(f)) {
        if (state.get(g) === "open") circles.push([...trail.slice(trail.indexOf(g)), g].map(rel).join(" → "));
        else if (!state.has(g)) visit(g, [...trail, g]);
      }
      state.set(f, "done");
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    expect(files.length).toBeGreaterThan(100);
    expect(circles).toEqual([]);
  });
});
