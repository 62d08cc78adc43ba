import path from "node:path";

/** `p` relative to the project root, with `/` on every platform (`.` for the root itself): how Sluice names files in messages and records. */
export function projectPath(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join("/") || ".";
}
