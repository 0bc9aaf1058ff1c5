import assert from 'node:assert/strict';
import { nodeSocketConnect, type NodeLikeSocket, type NodeNetModule } from '../../src/transport/node-socket.js';
import { streamTransport } from '../../src/transport/streams.js';
import { websocketTransport } from '../../src/transport/websocket.js';
import { workersTransport } from '../../src/transport/workers.js';
import { TransportError } from '../../src/transport/types.js';
import { dialTcp, runtimeTcp } from '../../src/transport/dial.js';

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A fake node:net socket that records pause/resume, to test read backpressure without timing. */
function fakeNet() {
  const handlers: Record<string, ((...a: any[]) => void)[]> = {};
  const calls: string[] = [];
  let paused = false;
  const socket: NodeLikeSocket & { emit(ev: string, ...a: any[]): void } = {
    setNoDelay: () => undefined,
    on: (ev: string, fn: (...a: any[]) => void) => { (handlers[ev] ??= []).push(fn); },
    once: (ev: string, fn: (...a: any[]) => void) => { (handlers[ev] ??= []).push(fn); },
    pause: () => { paused = true; calls.push('pause'); },
    resume: () => { paused = false; calls.push('resume'); },
    isPaused: () => paused,
    write: (_d: Uint8Array, cb: (err?: Error | null) => void) => { setTimeout(() => cb(), 20); return false; },
    end: (cb?: () => void) => { cb?.(); },
    destroy: () => undefined,
    destroyed: false,
    writable: true,
    emit: (ev: string, ...a: any[]) => { for (const fn of handlers[ev] ?? []) fn(...a); },
  } as any;
  const net: NodeNetModule = { connect: () => { setTimeout(() => socket.emit('connect')); return socket; } };
  return { net, socket, calls };
}

describe('transports: backpressure and closing', () => {
  it('node:net adapter pauses the socket above 1 MiB unread and resumes once drained', async () => {
    const { net, socket, calls } = fakeNet();
    const t = await nodeSocketConnect(net, '127.0.0.1', 1);
    for (let i = 0; i < 20; i++) socket.emit('data', new Uint8Array(100_000));
    assert.deepEqual(calls, ['pause'], 'paused once more than 1 MiB was buffered');
    let read = 0;
    while (read < 1_500_000) read += (await t.read())!.length;
    assert.deepEqual(calls, ['pause', 'resume']);
    // write() resolves only when the socket's callback fires (the runtime took the bytes).
    const t0 = Date.now();
    await t.write(new Uint8Array(10));
    assert.ok(Date.now() - t0 >= 15);
    socket.emit('end');
    while ((await t.read()) !== null) { /* drain */ }
  });

  it('stream adapter pulls only when read, and write waits for the sink', async () => {
    let pulls = 0;
    const readable = new ReadableStream<Uint8Array>({ pull(c) { pulls++; c.enqueue(new Uint8Array([pulls])); } }, { highWaterMark: 0 });
    let sinkDone = 0;
    const writable = new WritableStream<Uint8Array>({ async write() { await tick(30); sinkDone++; } }, { highWaterMark: 1 });
    const t = streamTransport({ readable, writable });
    await tick(10);
    assert.equal(pulls, 0, 'nothing is pulled before the first read');
    assert.deepEqual(await t.read(), new Uint8Array([1]));
    assert.equal(pulls, 1);
    await t.write(new Uint8Array(1));
    await t.write(new Uint8Array(1));
    assert.ok(sinkDone >= 1, 'the second write waited for the sink to take the first');
    await t.close();
  });

  it('stream adapter: a reader error is a TransportError', async () => {
    const readable = new ReadableStream<Uint8Array>({ pull(c) { c.error(new Error('reset by peer')); } });
    const t = streamTransport({ readable, writable: new WritableStream() });
    await assert.rejects(t.read(), (e: TransportError) => e instanceof TransportError && e.reason === 'read_failed' && /reset by peer/.test(e.message));
  });

  it('WebSocket adapter waits while the send buffer is above its high-water mark', async () => {
    const listeners: Record<string, ((ev: any) => void)[]> = {};
    const ws = {
      binaryType: '', bufferedAmount: 0, readyState: 1, sent: 0,
      send(d: Uint8Array) { this.bufferedAmount += d.length; this.sent++; },
      close() { this.readyState = 3; },
      addEventListener(type: string, fn: (ev: any) => void) { (listeners[type] ??= []).push(fn); },
    };
    const t = await websocketTransport(ws);
    assert.equal(ws.binaryType, 'arraybuffer');
    let done = false;
    const w = t.write(new Uint8Array(2 << 20)).then(() => { done = true; });
    await tick(30);
    assert.equal(done, false, 'write is held while 2 MiB are buffered');
    ws.bufferedAmount = 0;
    await w;
    assert.equal(done, true);
    // Binary messages come out in order; a normal close ends the stream; an abnormal one is an error.
    for (const fn of listeners.message!) fn({ data: new Uint8Array([1, 2]).buffer });
    assert.deepEqual(await t.read(), new Uint8Array([1, 2]));
    for (const fn of listeners.close!) fn({ code: 1011, reason: 'target 127.0.0.1:1: ECONNREFUSED' });
    await assert.rejects(t.read(), (e: TransportError) => e.reason === 'closed' && /1011: target/.test(e.message));
  });

  it('WebSocket adapter: a text message is a protocol error', async () => {
    const listeners: Record<string, ((ev: any) => void)[]> = {};
    const ws = { binaryType: '', bufferedAmount: 0, readyState: 1, send() {}, close() {}, addEventListener(type: string, fn: (ev: any) => void) { (listeners[type] ??= []).push(fn); } };
    const t = await websocketTransport(ws);
    for (const fn of listeners.message!) fn({ data: 'hello' });
    await assert.rejects(t.read(), (e: TransportError) => e.reason === 'protocol');
  });

  it('Workers adapter waits for `opened` and reports a refused socket as connect_failed', async () => {
    const bad = { readable: new ReadableStream(), writable: new WritableStream(), opened: Promise.reject(new Error('connection refused')), close: async () => undefined };
    await assert.rejects(workersTransport(bad), (e: TransportError) => e.reason === 'connect_failed' && /refused/.test(e.message));
    const good = { readable: new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new Uint8Array([7])); c.close(); } }), writable: new WritableStream(), opened: Promise.resolve(), close: async () => undefined };
    const t = await workersTransport(good);
    assert.deepEqual(await t.read(), new Uint8Array([7]));
    assert.equal(await t.read(), null);
  });

  it('dialTcp picks node:net in Node, and explains the relay where there is no TCP', async () => {
    assert.equal(runtimeTcp(), 'node');
    await assert.rejects(dialTcp('127.0.0.1', 1), (e: TransportError) => e.reason === 'connect_failed');
    const g = globalThis as any;
    const saved = g.process;
    try {
      g.process = undefined;
      assert.equal(runtimeTcp(), 'none');
      await assert.rejects(dialTcp('127.0.0.1', 1), (e: TransportError) => e.reason === 'no_tcp' && /isotls\/relay/.test(e.message));
    } finally {
      g.process = saved;
    }
  });
});
