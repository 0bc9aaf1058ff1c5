/** A usage error: exit code 2 with one line. */
export class UsageError extends Error {}

export interface Parsed {
  positionals: string[];
  /** Flag values; repeated flags (`-H`) collect in order. */
  values: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * Parses `argv` for one command: `--name value`, `--name=value`, boolean
 * `--name`, short aliases (`-X` → `request`). Unknown flags are usage errors,
 * so a typo never runs a different check than the one asked for.
 */
export function parseArgs(argv: string[], spec: { values: string[]; booleans: string[]; aliases?: Record<string, string> }): Parsed {
  const out: Parsed = { positionals: [], values: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-') || a === '-') { out.positionals.push(a); continue; }
    if (a === '--') { out.positionals.push(...argv.slice(i + 1)); break; }
    let name = a.startsWith('--') ? a.slice(2) : spec.aliases?.[a.slice(1)] ?? a.slice(1);
    let inline: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) { inline = name.slice(eq + 1); name = name.slice(0, eq); }
    if (spec.booleans.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.flags.add(name);
    } else if (spec.values.includes(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      out.values.set(name, [...(out.values.get(name) ?? []), v]);
    } else {
      throw new UsageError(`unknown option ${a}`);
    }
  }
  return out;
}

export const one = (p: Parsed, name: string): string | undefined => p.values.get(name)?.at(-1);

/** A positive number of seconds given as `--name`, in milliseconds; undefined when absent. */
export function seconds(p: Parsed, name: string): number | undefined {
  const v = one(p, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} ${v}: expected a positive number of seconds`);
  return n * 1000;
}

/** `host`, `host:port`, `[v6]:port`; the default port is 443. */
export function parseTarget(s: string | undefined): { host: string; port: number } {
  if (!s) throw new UsageError('a host is required (host[:port])');
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+)(?::(\d+))?$/.exec(s);
  if (!m) throw new UsageError(`"${s}" is not host[:port]`);
  const port = m[2] === undefined ? 443 : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`port ${m[2]} is out of range`);
  return { host: m[1]!, port };
}
