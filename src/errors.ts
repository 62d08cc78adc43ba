/**
 * Exit codes (DESIGN.md): 0 success; 1 the command ran and found problems;
 * 2 bad usage or bad input; 3 database errors.
 */
export const ExitCode = { ok: 0, problems: 1, usage: 2, database: 3 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: a message for the user, a hint on what to do, an exit code. */
export class SluiceError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly code: string;
  readonly details?: Record<string, unknown>;
  constructor(
    code: string,
    message: string,
    opts: { exitCode?: ExitCode; hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "SluiceError";
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.usage;
    this.hint = opts.hint;
    this.details = opts.details;
  }
  toJSON() {
    return { error: this.code, message: this.message, hint: this.hint, ...this.details };
  }
}

export class ConfigError extends SluiceError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super("config", message, { exitCode: ExitCode.usage, hint, cause });
  }
}

export class DatabaseError extends SluiceError {
  constructor(code: string, message: string, opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(code, message, { ...opts, exitCode: ExitCode.database });
  }
}

/** The first lines of an error's message, for a one-line refusal that names a user file's own error. */
export function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n").filter(Boolean).slice(0, 3).join(" ").trim();
}
