/** Entry for Chromium: the page calls window.runIsotls(config) and gets the greeting and report back. */
import { hello } from '../../docs/examples/runtimes/browser.js';
import { describeError, runScenario, type ScenarioConfig } from './scenario.js';

(globalThis as any).runIsotls = async (cfg: ScenarioConfig & { relay: string }) => {
  try {
    const greeting = await hello({ relay: cfg.relay, port: cfg.port, ca: cfg.ca, cert: cfg.tls13.cert, key: cfg.tls13.key });
    const report = await runScenario(cfg);
    return { greeting, report };
  } catch (e) {
    return { error: describeError(e) };
  }
};
