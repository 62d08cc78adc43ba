import { describe, expect, it } from "vitest";
import { buildChain, planDowngrade, planUpgrade, type Migration } from "../../src/chain/index.js";

function m(revision: string, down: string[] | string | null): Migration {
  const downRevisions = down === null ? [] : Array.isArray(down) ? down : [down];
  return {
    revision, downRevisions, message: `m${revision}`, transactional: true, file: `migrations/${revision}_m.sql`,
    absPath: `/${revision}`, format: "sql", fileNumber: revision, checksum: revision,
    upgrade: async () => ({ ops: [] }), downgrade: async () => ({ ops: [] }),
  };
}
const linear = () => buildChain([m("001", null), m("002", "001"), m("003", "002"), m("004", "003")]);

describe("the revision graph", () => {
  it("orders a linear chain from base to head and knows the next number", () => {
    const c = linear();
    expect(c.migrations.map((x) => x.revision)).toEqual(["001", "002", "003", "004"]);
    expect(c.heads).toEqual(["004"]);
    expect(c.next).toBe("005");
  });

  it("grows past 999 without losing zero padding below it", () => {
    expect(buildChain([m("999", null)]).next).toBe("1000");
    expect(buildChain([]).next).toBe("001");
  });

  it("refuses duplicate revisions, unknown down revisions and cycles with named errors", () => {
    expect(() => buildChain([m("001", null), m("001", null)])).toThrow(/declared by more than one file/);
    expect(() => buildChain([m("001", null), m("002", "007")])).toThrow(/down revision 007, but no migration has that revision/);
    const err = (() => { try { buildChain([m("001", null), m("002", "003"), m("003", "002")]); } catch (e) { return e as Error & { code: string }; } })();
    expect(err?.code).toBe("cycle");
    expect(err?.message).toMatch(/002.*003|003.*002/);
  });

  it("finds several heads on a branch and a merge revision joins them", () => {
    const branched = buildChain([m("001", null), m("002", "001"), m("003", "001")]);
    expect(branched.heads).toEqual(["002", "003"]);
    expect(() => planUpgrade(branched, new Set(), "head")).toThrow(/several heads/);
    expect(planUpgrade(branched, new Set(), "heads").revisions).toEqual(["001", "002", "003"]);
    const merged = buildChain([m("001", null), m("002", "001"), m("003", "001"), m("004", ["002", "003"])]);
    expect(merged.heads).toEqual(["004"]);
  });

  it("resolves head, +N, ids and unique prefixes for upgrade", () => {
    const c = linear();
    expect(planUpgrade(c, new Set(), "head").revisions).toEqual(["001", "002", "003", "004"]);
    expect(planUpgrade(c, new Set(["001"]), "+2").revisions).toEqual(["002", "003"]);
    expect(planUpgrade(c, new Set(), "003").revisions).toEqual(["001", "002", "003"]);
    expect(planUpgrade(buildChain([m("001", null), m("0025", "001")]), new Set(), "002").revisions).toEqual(["001", "0025"]);
    expect(() => planUpgrade(c, new Set(), "00")).toThrow(/ambiguous/);
    expect(() => planUpgrade(c, new Set(), "042")).toThrow(/No migration has revision 042/);
    expect(() => planUpgrade(c, new Set(["001", "002", "003"]), "+2")).toThrow(/only 1 migration/);
    expect(() => planUpgrade(c, new Set(), "-1")).toThrow(/goes down/);
  });

  it("resolves -N, base and ids for downgrade, newest first, and refuses to go past base", () => {
    const c = linear();
    const all = new Set(["001", "002", "003", "004"]);
    expect(planDowngrade(c, all, "-1")).toEqual({ revisions: ["004"], to: ["003"] });
    expect(planDowngrade(c, all, "002").revisions).toEqual(["004", "003"]);
    expect(planDowngrade(c, all, "base")).toEqual({ revisions: ["004", "003", "002", "001"], to: [] });
    expect(planDowngrade(c, all, "-4").to).toEqual([]);
    expect(() => planDowngrade(c, all, "-5")).toThrow(/only 4 step/);
    expect(() => planDowngrade(c, new Set(["001"]), "003")).toThrow(/not applied/);
    expect(() => planDowngrade(c, all, "head")).toThrow(/goes up/);
  });
});
