/** A minimal async FIFO of byte chunks with an end marker, shared by the adapters. */
export class ChunkQueue {
  private chunks: Uint8Array[] = [];
  private waiters: { resolve: (v: Uint8Array | null) => void; reject: (e: unknown) => void }[] = [];
  private ended = false;
  private error: unknown;
  bytes = 0;

  push(chunk: Uint8Array): void {
    if (this.ended) return;
    const w = this.waiters.shift();
    if (w) w.resolve(chunk); else { this.chunks.push(chunk); this.bytes += chunk.length; }
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    for (const w of this.waiters.splice(0)) error === undefined ? w.resolve(null) : w.reject(error);
  }

  read(): Promise<Uint8Array | null> {
    const c = this.chunks.shift();
    if (c) { this.bytes -= c.length; return Promise.resolve(c); }
    if (this.ended) return this.error === undefined ? Promise.resolve(null) : Promise.reject(this.error);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }
}
