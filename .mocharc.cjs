// Under CI (CI=true or CI=1) a stray `.only` or a pending test fails the run: CI must run everything.
const ci = process.env.CI === 'true' || process.env.CI === '1';
module.exports = {
  'node-option': ['import=tsx', 'experimental-websocket', 'disable-warning=ExperimentalWarning'],
  spec: ['test/**/*.test.ts'],
  timeout: 60000,
  reporter: 'spec',
  require: ['test/hooks.ts'],
  'forbid-only': ci,
  'forbid-pending': ci,
};
