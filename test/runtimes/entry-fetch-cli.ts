/** Entry for Node, Deno and Bun: the isotls/fetch scenario; one JSON line on stdout. */
import { runFetchScenario, type FetchConfig } from './fetch-scenario.js';
import { describeError } from './scenario.js';

const g = globalThis as any;
const arg: string = g.Deno ? g.Deno.args[0] : g.process.argv[2];
const exit = (code: number) => (g.Deno ? g.Deno.exit(code) : g.process.exit(code));

try {
  console.log(JSON.stringify({ report: await runFetchScenario(JSON.parse(arg) as FetchConfig) }));
  exit(0);
} catch (e) {
  console.log(JSON.stringify({ error: { ...describeError(e), cause: describeError((e as { cause?: unknown }).cause) } }));
  exit(1);
}
