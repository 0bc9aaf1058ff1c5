/** Entry for workerd: POST the scenario config; the answer is the example's greeting and the report. POST /fetch runs the isotls/fetch scenario. */
import { hello } from '../../docs/examples/runtimes/workers.js';
import { runFetchScenario, type FetchConfig } from './fetch-scenario.js';
import { describeError, runScenario, type ScenarioConfig } from './scenario.js';

export default {
  async fetch(request: Request): Promise<Response> {
    try {
      if (new URL(request.url).pathname === '/fetch') {
        const report = await runFetchScenario((await request.json()) as FetchConfig);
        return new Response(JSON.stringify({ report }), { headers: { 'content-type': 'application/json' } });
      }
      const cfg = (await request.json()) as ScenarioConfig;
      const greeting = cfg.relay ? null : await hello({ port: cfg.port, ca: cfg.ca, cert: cfg.tls13.cert, key: cfg.tls13.key });
      // The scenario lets connect() dial by itself: in workerd that is cloudflare:sockets (or the relay's WebSocket).
      const report = await runScenario(cfg);
      return new Response(JSON.stringify({ greeting, report }), { headers: { 'content-type': 'application/json' } });
    } catch (e) {
      return new Response(JSON.stringify({ error: describeError(e) }), { status: 500, headers: { 'content-type': 'application/json' } });
    }
  },
};
