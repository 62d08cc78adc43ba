import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoTempDir, targets, type TestDatabase } from "../support/databases.js";
import { sluice } from "../support/cli.js";

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const drizzleKitBin = path.join(repo, "node_modules", "drizzle-kit", "bin.cjs");

/** The model, in three steps; each step is one `drizzle-kit generate`. */
const STEPS = [
  `import { pgTable, pgEnum, serial, text, integer, index } from "drizzle-orm/pg-core";
export const status = pgEnum("status", ["draft", "published"]);
export const authors = pgTable("authors", { id: serial("id").primaryKey(), name: text("name").notNull() });
export const books = pgTable("books", {
  id: serial("id").primaryKey(),
  title: text("title").notNull(),
  authorId: integer("author_id").references(() => authors.id, { onDelete: "cascade" }),
  status: status("status").notNull().default("draft"),
}, (t) => [index("books_title_idx").on(t.title)]);
`,
];
STEPS.push(STEPS[0].replace('name: text("name").notNull() }', 'name: text("name").notNull(), bio: text("bio") }'));
STEPS.push(`${STEPS[1]}export const reviews = pgTable("reviews", { id: serial("id").primaryKey(), bookId: integer("book_id").notNull().references(() => books.id), stars: integer("stars").notNull() });\n`);

function drizzleKit(dir: string, args: string[]): void {
  execFileSync(process.execPath, [drizzleKitBin, ...args], { cwd: dir, stdio: "pipe", timeout: 120_000 });
}

function drizzleConfig(out: string, url?: string): string {
  const db = !url ? "" : url.startsWith("pglite:") ? `driver: "pglite", dbCredentials: { url: ${JSON.stringify(url.slice("pglite:".length))} },` : `dbCredentials: { url: ${JSON.stringify(url)} },`;
  return `import { defineConfig } from "drizzle-kit";\nexport default defineConfig({ dialect: "postgresql", schema: "./schema.ts", out: ${JSON.stringify(out)}, ${db} });\n`;
}

/** A drizzle-kit project with three generated migrations, made once by the real drizzle-kit. */
let fixture: string;
let tags: string[];

beforeAll(() => {
  fixture = repoTempDir("drizzle-kit");
  for (const step of STEPS) {
    fs.writeFileSync(path.join(fixture, "schema.ts"), step);
    fs.writeFileSync(path.join(fixture, "drizzle.config.ts"), drizzleConfig("./drizzle"));
    drizzleKit(fixture, ["generate"]);
  }
  tags = JSON.parse(fs.readFileSync(path.join(fixture, "drizzle", "meta", "_journal.json"), "utf8")).entries.map((e: { tag: string }) => e.tag);
}, 300_000);

/** A copy of the fixture with a Sluice config for `url`, and the database migrated by drizzle-kit through the first `applied` migrations. */
function project(url: string, applied: number): string {
  const dir = repoTempDir("import");
  fs.cpSync(fixture, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "sluice.config.ts"), `import { defineConfig } from "sluice";\nexport default defineConfig({ database: ${JSON.stringify(url)}, migrations: "./migrations", schema: { drizzle: "./schema.ts" } });\n`);
  fs.mkdirSync(path.join(dir, "migrations"));
  // drizzle-kit migrate applies its whole folder: a folder with the first `applied` entries stands for the past.
  const past = path.join(dir, "past");
  fs.mkdirSync(path.join(past, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(dir, "drizzle", "meta", "_journal.json"), "utf8"));
  journal.entries = journal.entries.slice(0, applied);
  fs.writeFileSync(path.join(past, "meta", "_journal.json"), JSON.stringify(journal, null, 2));
  for (const e of journal.entries) fs.copyFileSync(path.join(dir, "drizzle", `${e.tag}.sql`), path.join(past, `${e.tag}.sql`));
  fs.writeFileSync(path.join(dir, "drizzle.config.ts"), drizzleConfig("./past", url));
  if (applied) drizzleKit(dir, ["migrate"]);
  return dir;
}

async function drizzleRows(tdb: TestDatabase): Promise<unknown[]> {
  const db = await tdb.open();
  try {
    return (await db.query("SELECT id, hash, created_at::text FROM drizzle.__drizzle_migrations ORDER BY id")).rows;
  } finally {
    await db.close();
  }
}

for (const t of targets) {
  describe(`sluice import drizzle-kit on ${t.name}`, () => {
    let tdb: TestDatabase;
    beforeAll(async () => {
      tdb = await t.create();
    });
    afterAll(async () => tdb?.drop());
    const shadow = t.name === "postgres" ? ["--shadow-url", "target"] : [];

    it("imports a chain drizzle-kit applied in part: same position, upgrade runs only the rest, no drift, downgrades verify, a new migration applies on top; a second run is a no-op", async () => {
      const dir = project(tdb.url, 2);
      const rowsBefore = await drizzleRows(tdb);
      expect(rowsBefore).toHaveLength(2);

      const plan = await sluice(dir, ["import", "drizzle-kit", "--dry-run", "--json"]);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.json.written).toBe(false);
      expect(plan.json.stampedAt).toBe("002");
      expect(fs.readdirSync(path.join(dir, "migrations"))).toEqual([]);

      const r = await sluice(dir, ["import", "drizzle-kit", "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json.files.map((f: { importedFrom: string }) => f.importedFrom)).toEqual(tags);
      expect(r.json.files.map((f: { applied: boolean }) => f.applied)).toEqual([true, true, false]);
      expect(r.json.files.map((f: { file: string }) => f.file)).toEqual(tags.map((tag, i) => `migrations/00${i + 1}_${tag.replace(/^\d+_/, "")}.sql`));
      const first = fs.readFileSync(path.join(dir, r.json.files[0].file), "utf8");
      expect(first).toContain(`-- sluice:imported-from drizzle-kit ${tags[0]}`);
      expect(first).toContain(fs.readFileSync(path.join(dir, "drizzle", `${tags[0]}.sql`), "utf8").trimEnd());
      expect(first).toMatch(/-- sluice:downgrade\n-- REVIEW: computed by sluice import/);

      const cur = await sluice(dir, ["current", "--json"]);
      expect(cur.json.current).toEqual(["002"]);
      expect(cur.json.pending).toEqual(["003"]);

      const again = await sluice(dir, ["import", "drizzle-kit", "--json"]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.json.alreadyImported).toBe(true);
      expect(fs.readdirSync(path.join(dir, "migrations"))).toHaveLength(3);

      const up = await sluice(dir, ["upgrade", "--json"]);
      expect(up.code, up.stderr).toBe(0);
      expect(up.json.steps.map((a: { revision: string }) => a.revision)).toEqual(["003"]);

      const d = await sluice(dir, ["diff", "--json"]);
      expect(d.code, d.stderr).toBe(0);
      expect(d.json.drift).toBe(false);

      const v = await sluice(dir, ["verify", "--all", "--json", ...shadow]);
      expect(v.code, v.stdout.slice(0, 4000) + v.stderr).toBe(0);

      fs.writeFileSync(
        path.join(dir, "migrations", "004_isbn.sql"),
        "-- sluice:revision 004\n-- sluice:down-revision 003\n-- sluice:message isbn\n-- sluice:upgrade\nALTER TABLE books ADD COLUMN isbn text;\n-- sluice:downgrade\nALTER TABLE books DROP COLUMN isbn;\n",
      );
      const next = await sluice(dir, ["upgrade", "--json"]);
      expect(next.code, next.stderr).toBe(0);
      expect(next.json.steps.map((a: { revision: string }) => a.revision)).toEqual(["004"]);

      // drizzle-kit's table and files are as they were.
      expect(await drizzleRows(tdb)).toEqual(rowsBefore);
      expect(fs.readdirSync(path.join(dir, "drizzle")).sort()).toEqual([...tags.map((x) => `${x}.sql`), "meta"].sort());
    }, 600_000);
  });
}

describe("sluice import drizzle-kit refuses a malformed folder (exit 2), naming the file, writing nothing", () => {
  const cases: { what: string; spoil: (dir: string) => void; message: () => RegExp; applied?: number }[] = [
    { what: "no journal", spoil: (dir) => fs.rmSync(path.join(dir, "drizzle", "meta"), { recursive: true }), message: () => /drizzle\/meta\/_journal\.json: not found/ },
    { what: "a journal that is not JSON", spoil: (dir) => fs.writeFileSync(path.join(dir, "drizzle", "meta", "_journal.json"), "{"), message: () => /_journal\.json: is not valid JSON/ },
    { what: "an unknown journal format", spoil: (dir) => fs.writeFileSync(path.join(dir, "drizzle", "meta", "_journal.json"), "{}"), message: () => /_journal\.json: has no `entries` list/ },
    { what: "a listed file that is missing", spoil: (dir) => fs.rmSync(path.join(dir, "drizzle", `${tags[1]}.sql`)), message: () => new RegExp(`drizzle/${tags[1]}\\.sql: is listed in .*_journal\\.json \\(entry 1\\) but does not exist`) },
    { what: "a file with no journal entry", spoil: (dir) => fs.writeFileSync(path.join(dir, "drizzle", "0003_stray.sql"), "SELECT 1;"), message: () => /drizzle\/0003_stray\.sql: has no entry in/ },
    {
      what: "an applied file edited since (hash mismatch)",
      applied: 1,
      spoil: (dir) => fs.appendFileSync(path.join(dir, "drizzle", `${tags[0]}.sql`), "\n-- edited\n"),
      message: () => new RegExp(`drizzle/${tags[0]}\\.sql: differs from the file drizzle-kit applied`),
    },
  ];
  for (const c of cases) {
    it(c.what, async () => {
      const tdb = await targets[0].create();
      try {
        const dir = project(tdb.url, c.applied ?? 0);
        c.spoil(dir);
        const r = await sluice(dir, ["import", "drizzle-kit"]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(c.message());
        expect(fs.readdirSync(path.join(dir, "migrations"))).toEqual([]);
      } finally {
        await tdb.drop();
      }
    }, 180_000);
  }
});
