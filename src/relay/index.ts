export { createRelay, type Relay, type RelayOptions } from './relay.js';
