// Command-line options of the bench scripts: `--name value` and `--flag`.
export function benchArgs(args = process.argv.slice(2)) {
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const flag = (name) => args.includes(`--${name}`);
  return { args, opt, flag };
}
