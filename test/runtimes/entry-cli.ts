/** Entry for Node, Deno and Bun: the runtime's example, then the scenario; one JSON line on stdout. */
import { hello as bunHello } from '../../docs/examples/runtimes/bun.js';
import { hello as denoHello } from '../../docs/examples/runtimes/deno.js';
import { hello as nodeHello } from '../../docs/examples/runtimes/node.js';
import { describeError, runScenario, runtimeName, type ScenarioConfig } from './scenario.js';

const g = globalThis as any;
const arg: string = g.Deno ? g.Deno.args[0] : g.process.argv[2];
const exit = (code: number) => (g.Deno ? g.Deno.exit(code) : g.process.exit(code));

try {
  const cfg = JSON.parse(arg) as ScenarioConfig;
  const name = runtimeName();
  const hello = name.startsWith('deno') ? denoHello : name.startsWith('bun') ? bunHello : nodeHello;
  // through a relay the runtime may reach only the relay, so the direct-TCP example is not run
  const greeting = cfg.relay ? null : await hello({ port: cfg.port, ca: cfg.ca, cert: cfg.tls13.cert, key: cfg.tls13.key });
  const report = await runScenario(cfg);
  console.log(JSON.stringify({ greeting, report }));
  exit(0);
} catch (e) {
  console.log(JSON.stringify({ error: describeError(e) }));
  exit(1);
}
