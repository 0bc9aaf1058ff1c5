/** What the pool needs of a connection. */
export interface PooledConnection {
  closed: boolean;
  /** Whether it can take another request now (HTTP/1.1: idle; HTTP/2: a free stream). */
  available(): boolean;
  /** HTTP/2 connections are shared by many requests at once; HTTP/1.1 ones are leased. */
  readonly multiplexed: boolean;
  close(): Promise<void>;
}

interface Waiter { resolve: () => void }

/**
 * Connections to one origin under one TLS identity. At most `max` exist at a
 * time; a request beyond that waits for one to become idle or to close.
 */
class OriginPool<C extends PooledConnection> {
  readonly all = new Set<C>();
  readonly idle: C[] = [];
  dialing = 0;
  readonly waiters: Waiter[] = [];
  /** What the last dial negotiated: until it is known not to be multiplexed, dials to the origin go one at a time. */
  multiplexed: boolean | undefined;
}

/**
 * The connection pool of a `Client`, keyed by origin *and* the TLS options'
 * key (tls-key.ts): a connection made under other trust or another client
 * certificate is never handed to a request.
 */
export class ConnectionPool<C extends PooledConnection> {
  private readonly pools = new Map<string, OriginPool<C>>();
  private readonly timers = new Map<C, ReturnType<typeof setTimeout>>();
  /** Per key, the TLS session of the newest connection, offered when dialling the next one (at most 256 keys). */
  private readonly sessions = new Map<string, unknown>();
  private closing = false;

  constructor(private readonly max: number) {}

  private pool(key: string): OriginPool<C> {
    let p = this.pools.get(key);
    if (!p) { p = new OriginPool<C>(); this.pools.set(key, p); }
    return p;
  }

  /** The session to offer for a new connection to `key`. */
  session(key: string): unknown { return this.sessions.get(key); }
  remember(key: string, session: unknown): void {
    if (session === undefined) return;
    this.sessions.delete(key);
    if (this.sessions.size >= 256) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(key, session);
  }

  /**
   * A connection for one request: an idle (or multiplexed) one, a new one from
   * `dial`, or, at the limit, the first to come free. `fresh` says whether it was dialled for this request.
   */
  async acquire(key: string, dial: () => Promise<C>, signal: AbortSignal | undefined): Promise<{ conn: C; fresh: boolean }> {
    const p = this.pool(key);
    for (;;) {
      if (this.closing) throw new TypeError('the Client is closed');
      signal?.throwIfAborted();
      for (const shared of p.all) if (shared.multiplexed && !shared.closed && shared.available()) return { conn: shared, fresh: false };
      while (p.idle.length > 0) {
        const conn = p.idle.pop()!;
        this.stopTimer(conn);
        if (!conn.closed) return { conn, fresh: false };
      }
      // An HTTP/2 connection serves every request: while one may be coming, wait for it rather than dial more.
      if (p.all.size + p.dialing < this.max && !(p.dialing > 0 && p.multiplexed !== false)) {
        p.dialing++;
        let conn: C | undefined;
        try {
          conn = await dial();
          p.all.add(conn);
          p.multiplexed = conn.multiplexed;
          return { conn, fresh: true };
        } finally {
          p.dialing--;
          if (conn?.multiplexed) for (const w of p.waiters.splice(0)) w.resolve();
          else this.wake(p);
        }
      }
      await new Promise<void>((resolve, reject) => {
        const waiter: Waiter = { resolve: () => { signal?.removeEventListener('abort', onAbort); resolve(); } };
        const onAbort = (): void => { p.waiters.splice(p.waiters.indexOf(waiter), 1); reject(signal!.reason); };
        signal?.addEventListener('abort', onAbort, { once: true });
        p.waiters.push(waiter);
      });
    }
  }

  private wake(p: OriginPool<C>): void { p.waiters.shift()?.resolve(); }

  private stopTimer(conn: C): void {
    const t = this.timers.get(conn);
    if (t !== undefined) { clearTimeout(t); this.timers.delete(conn); }
  }

  /** A leased HTTP/1.1 connection is idle again; it is closed after `idleMs` or when the server ends it. */
  release(key: string, conn: C, idleMs: number, whenBroken: Promise<void>): void {
    const p = this.pool(key);
    if (this.closing || conn.closed) { void this.discard(key, conn); return; }
    p.idle.push(conn);
    const t = setTimeout(() => { void this.discard(key, conn); }, idleMs);
    (t as { unref?: () => void }).unref?.();
    this.timers.set(conn, t);
    void whenBroken.then(() => { if (p.idle.includes(conn)) void this.discard(key, conn); });
    this.wake(p);
  }

  /** A connection (idle or not) that may not be used again; frees its place for waiting requests. */
  async discard(key: string, conn: C): Promise<void> {
    const p = this.pools.get(key);
    this.stopTimer(conn);
    if (p) {
      const i = p.idle.indexOf(conn);
      if (i >= 0) p.idle.splice(i, 1);
      if (p.all.delete(conn)) this.wake(p);
      if (p.all.size === 0 && p.dialing === 0 && p.waiters.length === 0) this.pools.delete(key);
    }
    await conn.close();
  }

  /** A multiplexed connection gained a free stream. */
  notify(key: string): void { const p = this.pools.get(key); if (p) this.wake(p); }

  /** Open connections per key (for tests and diagnostics). */
  stats(): { key: string; open: number; idle: number }[] {
    return [...this.pools].map(([key, p]) => ({ key, open: p.all.size, idle: p.idle.length }));
  }

  async close(): Promise<void> {
    this.closing = true;
    const all = [...this.pools.values()].flatMap((p) => [...p.all]);
    for (const p of this.pools.values()) for (const w of p.waiters.splice(0)) w.resolve();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all(all.map((c) => c.close()));
    this.pools.clear();
    this.sessions.clear();
  }
}
