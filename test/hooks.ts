import { runningServers } from './helpers/openssl-server.js';

/** Root hooks: no test may leave a server process behind, even after a timeout. */
export const mochaHooks = {
  afterAll(): void {
    for (const p of runningServers) p.kill('SIGKILL');
  },
};
