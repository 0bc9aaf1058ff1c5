/** Entry for Chromium: the page calls window.runIsotls(config) and gets the greeting and report back. */
import { connect } from '../../src/index.js';
import { hello } from '../../docs/examples/runtimes/browser.js';
import { runFetchScenario, type FetchConfig } from './fetch-scenario.js';
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

/** Without a relay a page has no way to reach TCP: connect() must say so (and how to fix it). */
(globalThis as any).connectWithoutRelay = async (cfg: ScenarioConfig) => {
  try {
    await connect({ host: cfg.host, port: cfg.port, servername: cfg.servername, ca: cfg.ca });
    return { code: 'connected' };
  } catch (e) {
    return describeError(e);
  }
};

/** The isotls/fetch scenario through the relay. */
(globalThis as any).runIsotlsFetch = async (cfg: FetchConfig) => {
  try {
    return { report: await runFetchScenario(cfg) };
  } catch (e) {
    return { error: { ...describeError(e), cause: describeError((e as { cause?: unknown }).cause) } };
  }
};
