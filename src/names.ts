/** Suggestions for a misspelled name (a table, a config key), shared by every "did you mean". */

/** Up to three names nearest to `text` by edit distance (case-insensitive), nearest first. */
export function closestNames(text: string, names: readonly string[]): string[] {
  const t = text.toLowerCase();
  return names
    .map((name) => {
      const n = name.toLowerCase();
      // A name containing the text (or contained in it) ranks first, the closer in length the better.
      const distance = n.includes(t) || t.includes(n) ? 1 - Math.min(n.length, t.length) / Math.max(n.length, t.length) : editDistance(t, n);
      return { name, distance };
    })
    .filter((c) => c.distance <= Math.max(2, Math.floor(t.length / 3)))
    .sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : 1))
    .slice(0, 3)
    .map((c) => c.name);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
