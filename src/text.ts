/**
 * Text Sluice writes into SQL or TypeScript it generates (comments of
 * `--sql` scripts, `-- sluice:` headers, `// REVIEW` lines, the report) must
 * stay text: a line break in it would end the comment and turn the rest into
 * code. Messages and revision ids are refused when they hold such characters
 * (`controlCharacter`), and every comment is written through `commentLine`, so
 * nothing that reaches it can break out either.
 */

/**
 * Characters that end a comment or hide text: C0 controls but tab, DEL, C1
 * controls (NEL among them), and the Unicode line and paragraph separators
 * that end a `//` comment in JavaScript.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_ALL = new RegExp(CONTROL.source, "g");

/** The first control character of `text` (see CONTROL), with its index and a readable name. */
export function controlCharacter(text: string): { index: number; name: string } | undefined {
  const m = CONTROL.exec(text);
  return m ? { index: m.index, name: characterName(m[0]) } : undefined;
}

function characterName(ch: string): string {
  const named: Record<string, string> = { "\n": "a newline", "\r": "a carriage return", "\u0000": "a NUL byte" };
  return named[ch] ?? `the control character U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `text` on one line: each control character written as its escape (`\n`, `\u0000`). */
export function oneLine(text: string): string {
  return text.replace(CONTROL_ALL, (ch) => {
    if (ch === "\n") return "\\n";
    if (ch === "\r") return "\\r";
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

/** One comment line of SQL (`--`) or TypeScript (`//`) whose text cannot end it early. */
export function commentLine(marker: "--" | "//", text: string): string {
  return `${marker} ${oneLine(text)}`;
}
