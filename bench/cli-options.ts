// Command-line options of the benchmark: `--name value` or `--name=value`.

export function option(name: string, args = process.argv.slice(2)): string | undefined {
  const i = args.indexOf(`--${name}`);
  if (i !== -1) return args[i + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

/** A comma-separated option as a list (undefined when the option is absent). */
export function listOption(name: string, args = process.argv.slice(2)): string[] | undefined {
  return option(name, args)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
