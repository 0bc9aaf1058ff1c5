/**
 * A pool key for TLS options: two requests share a connection only when their
 * options are the same. Strings, numbers and bytes compare by value; functions,
 * providers, trust stores and other objects with a prototype compare by identity
 * (the same object), so a connection is never reused under other trust or
 * another client certificate, only sometimes not reused when it could be.
 */
const ids = new WeakMap<object, number>();
let nextId = 1;

function identity(o: object): string {
  let id = ids.get(o);
  if (id === undefined) { id = nextId++; ids.set(o, id); }
  return `#${id}`;
}

function bytesKey(b: Uint8Array): string {
  let s = 'b:';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

function canonical(v: unknown, depth: number): string {
  if (v === undefined) return 'u';
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return bytesKey(v);
  if (typeof v === 'function' || typeof v === 'symbol' || depth > 8) return identity(v as object);
  if (Array.isArray(v)) return `[${v.map((x) => canonical(x, depth + 1)).join(',')}]`;
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return identity(v as object);
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k], depth + 1)}`).join(',')}}`;
}

/** The key of a TLS option set (see above). */
export function tlsKey(options: object): string {
  return canonical(options, 0);
}
