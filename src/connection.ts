import { toHex } from './bytes/encoding.js';
import { TlsError } from './errors.js';
import { nextTrafficSecret, trafficKeys, type ApplicationTrafficSecret } from './handshake/key-schedule-13.js';
import type { HandshakeIO } from './handshake/io.js';
import { clientHandshake } from './handshake/client.js';
import { checkServerExtensions } from './handshake/extension-rules.js';
import { answerPostHandshakeAuth } from './handshake/tls13.js';
import type { HandshakeResult, Tls13Session, TlsSession } from './handshake/config.js';
import { sessionFromTicket, ticketOffered, type TicketAuthentication } from './handshake/session.js';
import type { Tls13Suite } from './handshake/cipher-suites.js';
import { explainClientAuth, type ClientAuthOutcome } from './handshake/client-auth.js';
import { withDeadline } from './deadline.js';
import { FloodGuard } from './flood-limits.js';
import { describeCertificate, type ConnectionInfo } from './info.js';
import type { ConnectOptions, ResolvedOptions } from './options.js';
import { Deframer, type RawRecord } from './record/deframer.js';
import { Tls13Direction } from './record/tls13-protection.js';
import type { RecordProtection } from './record/protection.js';
import { TransportError, type Transport } from './transport/types.js';
import { alertNumber, decodeAlert, encodeAlert } from './wire/alert.js';
import { AlertLevel, ContentType, HandshakeType, nameOf } from './wire/constants.js';
import { HandshakeAssembler, type HandshakeMessage } from './wire/handshake-message.js';
import { MAX_PLAINTEXT, encodeRecordHeader } from './wire/record-header.js';
import { decodeKeyUpdate, decodeNewSessionTicket, encodeKeyUpdate, KeyUpdateRequest, type NewSessionTicket } from './wire/tls13-messages.js';

/** Post-handshake handshake messages we keep at most this many of (tickets). */
const MAX_TICKETS = 8;
/** Records opened ahead of processing (post-handshake), for providers that decrypt asynchronously. */
const READ_AHEAD = 16;

/**
 * A TLS connection over a transport: runs the handshake, then carries
 * application data, KeyUpdate, alerts and close_notify. The only place where
 * I/O and protocol state meet.
 */
export class TlsConnection {
  private readonly deframer = new Deframer();
  private readonly assembler: HandshakeAssembler;
  /** Bounds the records and messages the peer may send without application data. */
  private readonly flood = new FloodGuard();
  /** RFC 8446 §D.4: the compatibility change_cipher_spec precedes our first protected record. */
  private compatCcsPending = false;
  /** A KeyUpdate answer is queued and not yet sent; later requests are covered by it (RFC 8446 §4.6.3). */
  private keyUpdateAnswerPending = false;
  private readDir: RecordProtection | undefined;
  private writeDir: RecordProtection | undefined;
  private version: 'TLSv1.3' | 'TLSv1.2' | undefined;
  private ccsExpected = false;
  private clientAuth: ClientAuthOutcome | undefined;
  private receivedApplicationData = false;
  private handshakeDone = false;
  /** Records taken from the deframer whose opening has started (startReadAhead), in sequence order. */
  private readAhead: { rec: RawRecord; opened?: Promise<{ type: number; content: Uint8Array }> }[] = [];
  /** Our handshake records sealed but not yet written: a flight goes out in one write (flushFlight). */
  private flight: Uint8Array[] = [];
  private firstRecordSent = false;
  private peerClosed = false;
  private localClosed = false;
  private fatal: TlsError | undefined;
  private writeChain: Promise<unknown> = Promise.resolve();
  private pendingData: Uint8Array[] = [];
  /**
   * What the connection needs from the handshake once it is over: the TLS 1.2
   * session, and for TLS 1.3 the suite (KeyUpdate), the resumption master
   * secret and the authentication results a ticket's session carries
   * (NewSessionTicket), and, only when `postHandshakeAuth` is on, the
   * transcript. The rest (key log secrets, exporter secret) is not kept.
   */
  private hs: {
    session: TlsSession | undefined;
    tls13: { suite: Tls13Suite; transcript: Uint8Array[]; resumptionMasterSecret: Uint8Array; authentication: TicketAuthentication } | undefined;
  } | undefined;
  /** RFC 8449: content bytes per record we send, and the largest (inner) plaintext we accept, once negotiated. */
  private maxSendContent = MAX_PLAINTEXT;
  private maxReceiveInner: number | undefined;
  /** TLS 1.3 sessions made from the server's NewSessionTickets, oldest first (bounded). */
  private sessions13: Tls13Session[] = [];
  private readSecret: ApplicationTrafficSecret | undefined;
  private writeSecret: ApplicationTrafficSecret | undefined;
  private _info: ConnectionInfo | undefined;
  private _readable: ReadableStream<Uint8Array> | undefined;
  private _writable: WritableStream<Uint8Array> | undefined;
  /** Post-handshake CertificateRequests answered (TLS 1.3, when `postHandshakeAuth` is on). */
  postHandshakeAuthAnswered = 0;
  /** HelloRequests answered with a no_renegotiation warning (TLS 1.2). */
  helloRequestsRefused = 0;
  /** KeyUpdate messages processed from the peer and sent by us (RFC 8446 §4.6.3). */
  readonly keyUpdates = { received: 0, sent: 0 };
  /** TLS 1.3 NewSessionTickets received after the handshake, as sent (each also becomes a session: `session`). */
  readonly sessionTickets: NewSessionTicket[] = [];

  private constructor(private readonly transport: Transport, private readonly opts: ResolvedOptions) {
    this.assembler = new HandshakeAssembler(opts.maxHandshakeMessageSize);
  }

  /** Runs the handshake over `transport`; resolves once the connection is ready for application data. Used by connect(). @internal */
  static async handshake(transport: Transport, options: ConnectOptions, resolved: ResolvedOptions): Promise<TlsConnection> {
    const conn = new TlsConnection(transport, resolved);
    try {
      // If the timeout or the signal wins, the abandoned handshake rejects once abort() closes the transport;
      // withDeadline swallows that late rejection.
      const result = await withDeadline(clientHandshake(conn.io(), resolved.handshake).then(async (r) => { await conn.flushFlight(); return r; }), {
        timeoutMs: resolved.timeoutMs, signal: options.signal, what: 'the handshake',
        timeout: () => new TlsError('transport', 'handshake_timeout', `tls: handshake did not complete within ${resolved.timeoutMs} ms`),
      });
      conn.finishHandshake(result, options);
      // early data the server did not take (or that could not be sent) goes again as normal data, if asked
      if (options.earlyData && options.earlyDataRetry && result.earlyData?.accepted !== true) await conn.write(options.earlyData);
      return conn;
    } catch (e) {
      throw await conn.abort(await conn.withPeerAlert(e));
    }
  }

  /**
   * A write that fails during the handshake usually means the server already
   * gave up and closed: a TLS 1.2 server that requires a client certificate
   * sends its alert as soon as it reads an empty Certificate, while our
   * ClientKeyExchange is still being written. The alert says why; the write
   * error (EPIPE) does not. So look briefly for an alert that already arrived.
   * The server's close often resets the connection and the kernel drops the
   * alert with it; then, if the server had asked for a client certificate,
   * the error says what it asked and what was sent, as a dropped connection does.
   */
  private async withPeerAlert(e: unknown): Promise<unknown> {
    const err = toTlsError(e);
    if (!err.code.startsWith('transport/') || err.code === 'transport/handshake_timeout') return e;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), 250); });
    const alert = (async () => {
      for (;;) {
        try { if ((await this.readRecord()) === null) return undefined; } catch (r) { return r instanceof TlsError && r.code.startsWith('peer_alert/') ? r : undefined; }
      }
    })();
    const found = await Promise.race([alert, deadline]);
    clearTimeout(timer);
    if (found) return found;
    if (this.clientAuth && !err.message.includes('asked for a client certificate')) {
      return new TlsError('transport', err.reason, `${err.message}.${explainClientAuth(this.clientAuth)}`, { cause: err });
    }
    return e;
  }

  /**
   * The session to pass as `session` to a later `connect()` for resumption:
   * in TLS 1.3 the newest ticket the server sent that has not been offered
   * yet (tickets arrive after the handshake, with application data: read
   * before asking; each is offered once, so ask again for the next), in TLS
   * 1.2 the session (only with the extended master secret). Undefined when
   * there is none.
   */
  get session(): TlsSession | undefined {
    if (this.version === 'TLSv1.3') return this.sessions13.filter((s) => !ticketOffered(s)).pop();
    return this.hs?.session;
  }

  /** What was negotiated and verified: version, suite, group, ALPN, certificates, authorization, resumption, provider. */
  get info(): ConnectionInfo {
    if (!this._info) throw new Error('handshake not complete');
    return this._info;
  }

  private finishHandshake(r: HandshakeResult, options: ConnectOptions): void {
    this.hs = {
      session: r.session,
      tls13: r.tls13 && {
        suite: r.tls13.suite, transcript: this.opts.handshake.postHandshakeAuth ? r.tls13.transcript : [], resumptionMasterSecret: r.tls13.resumptionMasterSecret,
        authentication: { authorized: r.authorized, authorizationError: r.authorizationError, peerCertificates: r.peerCertificates, group: r.group, signatureScheme: r.signatureScheme, alpnProtocol: r.alpnProtocol },
      },
    };
    this.handshakeDone = true;
    this.readSecret = r.tls13?.serverApplicationSecret;
    this.writeSecret = r.tls13?.clientApplicationSecret;
    if (options.onKeyLog) for (const [label, secret] of r.keyLog.secrets) options.onKeyLog(`${label} ${toHex(r.keyLog.clientRandom)} ${toHex(secret)}`);
    this._info = {
      version: r.version, cipherSuite: r.cipherSuite, group: r.group, signatureAlgorithm: r.signatureScheme, alpnProtocol: r.alpnProtocol,
      servername: this.opts.servername, resumed: r.resumed, sessionNotOffered: r.sessionNotOffered, cryptoProvider: this.opts.handshake.provider.name, authorized: r.authorized, authorizationError: r.authorizationError,
      extendedMasterSecret: r.version === 'TLSv1.3' || !!r.extendedMasterSecret, encryptThenMac: !!r.encryptThenMac,
      clientCertificateRequested: r.clientCertificateRequested, clientCertificateSent: r.clientCertificateSent !== undefined, helloRetryRequest: r.helloRetried,
      earlyDataAccepted: r.earlyData?.accepted === true,
      certificateCompression: r.certificateCompression ?? false,
      echAccepted: r.ech?.accepted === true,
      peerCertificates: r.peerCertificates.map(describeCertificate),
    };
  }

  // ---------------------------------------------------------------- handshake I/O

  private io(): HandshakeIO {
    return {
      send: (message) => this.sendRecords(ContentType.handshake, message),
      expect: (...types) => this.expectHandshake(types),
      sendChangeCipherSpec: () => this.enqueueWrite(async () => { this.flight.push(CHANGE_CIPHER_SPEC); }),
      changeCipherSpecBeforeNextProtectedRecord: () => { this.compatCcsPending = true; },
      expectChangeCipherSpec: () => this.expectChangeCipherSpec(),
      setVersion: (v) => { this.version = v; },
      setRecordSizeLimits: (l) => { this.maxSendContent = l.sendContent; this.maxReceiveInner = l.receiveInner; },
      endOfFlight: (what) => {
        // the peer's flight ends here: it must now wait for us, so nothing more of its may be buffered
        if (this.assembler.hasPartial()) throw new TlsError('unexpected_message', 'excess_handshake_data', `tls: the server sent more handshake data after ${what}, which ends its flight`);
      },
      installKeys: (direction, protection) => this.installKeys(direction, protection),
      clearWriteKeys: () => { this.writeDir = undefined; },
      sendEarlyData: (data) => this.enqueueWrite(async () => {
        for (let p = 0; p < data.length; p += MAX_PLAINTEXT) this.flight.push(await this.protect(ContentType.application_data, data.subarray(p, Math.min(data.length, p + MAX_PLAINTEXT))));
      }),
      noteClientAuth: (outcome) => { this.clientAuth = outcome; },
    };
  }

  /** The read direction's AEAD tag length (TLS 1.3 record protection). */
  private readTagLength(): number {
    return (this.readDir as { tagLength?: number } | undefined)?.tagLength ?? 16;
  }

  private installKeys(direction: 'read' | 'write', protection: RecordProtection): void {
    if (direction === 'read') {
      // RFC 8446 §5.1: handshake messages must not span a key change
      if (this.assembler.hasPartial()) throw new TlsError('unexpected_message', 'message_spans_key_change', 'tls: a handshake message spans a key change');
      this.readDir = protection;
    } else {
      this.writeDir = protection;
    }
  }

  /** TLS 1.2: the server's ChangeCipherSpec must come next, with no handshake message pending. */
  private async expectChangeCipherSpec(): Promise<void> {
    await this.flushFlight(); // we wait for the peer now: our flight must be on its way
    if (this.assembler.hasPartial()) throw new TlsError('unexpected_message', 'message_spans_key_change', 'tls: a handshake message precedes ChangeCipherSpec');
    this.ccsExpected = true;
    while (this.ccsExpected) {
      const rec = await this.readRecord();
      if (rec === null) throw new TlsError('transport', 'closed_during_handshake', 'tls: the peer closed the connection during the handshake');
      if (this.ccsExpected && rec.type !== ContentType.alert) {
        throw new TlsError('unexpected_message', 'missing_change_cipher_spec', `tls: expected ChangeCipherSpec, received a ${nameOf(ContentType, rec.type)} record`);
      }
    }
  }

  private async expectHandshake(types: number[]): Promise<HandshakeMessage> {
    await this.flushFlight(); // we wait for the peer now: our flight must be on its way
    for (;;) {
      const m = this.assembler.next();
      // RFC 5246 §7.4.1.1: a HelloRequest during a TLS 1.2 handshake is ignored
      if (m && this.version === 'TLSv1.2' && m.type === HandshakeType.hello_request && m.body.length === 0) continue;
      if (m) {
        if (!types.includes(m.type)) {
          throw new TlsError('unexpected_message', 'unexpected_handshake_message', `tls: expected ${types.map((t) => nameOf(HandshakeType, t)).join(' or ')}, received ${nameOf(HandshakeType, m.type)}`);
        }
        return m;
      }
      const rec = await this.readRecord();
      if (rec === null) throw new TlsError('transport', 'closed_during_handshake', 'tls: the peer closed the connection during the handshake');
      if (rec.type === ContentType.application_data) throw new TlsError('unexpected_message', 'early_application_data', 'tls: application data received before the handshake completed');
    }
  }

  // ---------------------------------------------------------------- records in

  /**
   * Reads and processes one record. Handshake fragments go to the assembler,
   * alerts are acted on, application data is queued. Returns the record's
   * (inner) type, or null at close_notify.
   */
  private async readRecord(): Promise<{ type: number } | null> {
    if (this.fatal) throw this.fatal;
    if (this.peerClosed) return null;
    for (;;) {
      // A server that answers the ClientHello in plain HTTP is not speaking TLS on this port
      if (this.version === undefined && this.deframer.startsWith(HTTP_RESPONSE)) {
        throw new TlsError('transport', 'plaintext_http', 'tls: the server answered in plain HTTP: is this the TLS port?');
      }
      const ahead = this.readAhead.shift();
      const rec = ahead?.rec ?? this.deframer.next();
      if (rec) {
        // Once the version is negotiated every record says 0x0303 (RFC 8446 §5.1 legacy_record_version;
        // RFC 5246 §6.2.1: the negotiated version)
        if (this.version && rec.version !== 0x0303) throw new TlsError('protocol_version', 'wrong_record_version', `tls: record version 0x${rec.version.toString(16).padStart(4, '0')} after the version was negotiated (expected 0x0303)`);
        let type = rec.type, content = rec.fragment;
        if (type === ContentType.change_cipher_spec) {
          if (this.handshakeDone || content.length !== 1 || content[0] !== 1) throw new TlsError('unexpected_message', 'unexpected_change_cipher_spec', 'tls: unexpected change_cipher_spec record');
          if (this.version === 'TLSv1.2') {
            // TLS 1.2: ChangeCipherSpec switches the read keys, so it must come exactly when expected
            if (!this.ccsExpected) throw new TlsError('unexpected_message', 'unexpected_change_cipher_spec', 'tls: change_cipher_spec arrived out of order');
            this.ccsExpected = false;
            return { type };
          }
          this.flood.note('change_cipher_spec');
          continue; // RFC 8446 §5: the compatibility-mode dummy is dropped
        }
        if (this.readDir) {
          // this record takes the next sequence number, then the records read ahead take theirs; it is
          // processed next, so nothing can make it need other keys: it is opened in place
          // RFC 8449: a TLS 1.3 record's inner plaintext is its fragment less the AEAD tag
          if (this.maxReceiveInner !== undefined && this.version === 'TLSv1.3' && rec.fragment.length - this.readTagLength() > this.maxReceiveInner) {
            throw new TlsError('record_overflow', 'record_size_limit_exceeded', `tls: a record of ${rec.fragment.length - this.readTagLength()} bytes of plaintext exceeds the record_size_limit ${this.maxReceiveInner} we advertised`);
          }
          const opened = ahead?.opened ?? this.readDir.open(rec.header, rec.fragment);
          if (this.handshakeDone) this.startReadAhead();
          ({ type, content } = await opened);
          if (this.maxReceiveInner !== undefined && this.version === 'TLSv1.2' && content.length > this.maxReceiveInner) {
            throw new TlsError('record_overflow', 'record_size_limit_exceeded', `tls: a record of ${content.length} bytes of plaintext exceeds the record_size_limit ${this.maxReceiveInner} we advertised`);
          }
        } else if (type === ContentType.application_data) {
          throw new TlsError('unexpected_message', 'early_application_data', 'tls: application data received before encryption was established');
        } else if (content.length > MAX_PLAINTEXT) {
          throw new TlsError('record_overflow', 'plaintext_too_long', `tls: plaintext record of ${content.length} bytes exceeds 2^14`);
        }
        return this.processContent(type, content);
      }
      let chunk: Uint8Array | null;
      try { chunk = await this.transport.read(); } catch (e) { throw toTlsError(e); }
      if (chunk === null) {
        if (this.deframer.bufferedBytes > 0) throw new TlsError('transport', 'truncated_record', 'tls: the peer closed the connection in the middle of a record');
        // servers that refuse a client certificate often just drop the connection (Node does)
        const auth = this.clientAuth && !this.receivedApplicationData ? explainClientAuth(this.clientAuth) : '';
        throw new TlsError('transport', 'closed_without_close_notify', `tls: the peer closed the connection without close_notify (possible truncation).${auth}`);
      }
      this.deframer.push(chunk);
    }
  }

  /**
   * After the handshake, starts opening every complete application_data
   * record already buffered (up to READ_AHEAD), each at its own sequence
   * number, so an asynchronous provider decrypts them concurrently; they are
   * still processed one by one, in order. A TLS 1.3 KeyUpdate among them
   * makes the later ones wrong-keyed: `rotateReadKeys` drops their results,
   * and they are opened again under the new keys (they were opened out of
   * place, so their bytes are intact). TLS 1.2 never changes keys here.
   */
  private startReadAhead(): void {
    const dir = this.readDir!;
    const inPlace = !this.keysMayChange();
    const open = (a: (typeof this.readAhead)[number]) => {
      a.opened = dir.open(a.rec.header, a.rec.fragment, inPlace);
      a.opened.catch(() => undefined); // a result never awaited (a later failure, a key change) is not an error
    };
    // records held from before a key change first, in order; a bad record version stops here (refused in order)
    for (const a of this.readAhead) {
      if (a.rec.version !== 0x0303) return;
      if (!a.opened) open(a);
    }
    while (this.readAhead.length < READ_AHEAD && this.deframer.nextType() === ContentType.application_data) {
      const a = { rec: this.deframer.next()! };
      this.readAhead.push(a);
      if (a.rec.version !== 0x0303) return;
      open(a);
    }
  }

  /** TLS 1.3 after the handshake: a KeyUpdate may come, so records read ahead are opened out of place. */
  private keysMayChange(): boolean {
    return this.handshakeDone && this.version === 'TLSv1.3';
  }

  private async processContent(type: number, content: Uint8Array): Promise<{ type: number } | null> {
    switch (type) {
      case ContentType.alert: {
        if (content.length === 0) throw new TlsError('unexpected_message', 'empty_alert', 'tls: zero-length alert record');
        const alert = decodeAlert(content);
        if (alert.name === 'close_notify') {
          // records already queued behind close_notify are a protocol violation (RFC 8446 §6.1, RFC 5246 §7.2.1)
          if (this.deframer.bufferedBytes > 0 || this.readAhead.length > 0) throw new TlsError('unexpected_message', 'data_after_close_notify', 'tls: the server sent records after close_notify');
          this.peerClosed = true;
          return null;
        }
        // RFC 8446 §6: in TLS 1.3 every alert but close_notify/user_canceled is fatal, whatever its level;
        // in TLS 1.2 warnings (e.g. no_renegotiation, unrecognized_name) are informational
        // before the ServerHello the version is unknown: a TLS 1.2 server may warn (unrecognized_name, RFC 6066 §3)
        const tls12Warning = alert.level === AlertLevel.warning && (this.version === 'TLSv1.2' || (this.version === undefined && this.opts.handshake.versions.includes(0x0303)));
        if (alert.name === 'user_canceled' || tls12Warning) {
          this.flood.note('warning_alert');
          return { type };
        }
        const auth = this.clientAuth && CLIENT_AUTH_ALERTS.has(alert.name) ? explainClientAuth(this.clientAuth) : '';
        throw new TlsError('peer_alert', alert.name, `tls: the server sent a fatal ${alert.name} alert${hintFor(alert.name)}.${auth}`, { alert: alert.name, alertFrom: 'peer' });
      }
      case ContentType.handshake:
        if (content.length === 0) throw new TlsError('unexpected_message', 'empty_handshake_record', 'tls: zero-length handshake record');
        this.assembler.push(content);
        if (this.handshakeDone) await this.processPostHandshake();
        return { type };
      case ContentType.application_data:
        if (content.length > 0) {
          this.pendingData.push(content);
          this.receivedApplicationData = true;
          this.flood.progress();
        } else {
          this.flood.note('empty_record');
        }
        return { type };
      default:
        throw new TlsError('unexpected_message', 'unknown_content_type', `tls: record of content type ${type}`);
    }
  }

  /** NewSessionTicket and KeyUpdate after the handshake (RFC 8446 §4.6); HelloRequest in TLS 1.2. */
  private async processPostHandshake(): Promise<void> {
    for (let m = this.assembler.next(); m; m = this.assembler.next()) {
      if (this.version === 'TLSv1.2') {
        // RFC 5746 §4.2: renegotiation is refused with a no_renegotiation warning, and the connection goes on
        if (m.type === HandshakeType.hello_request && m.body.length === 0) {
          this.flood.note('hello_request');
          this.helloRequestsRefused++;
          await this.enqueueWrite(async () => this.writeOut(await this.protect(ContentType.alert, encodeAlert('no_renegotiation', AlertLevel.warning))));
          continue;
        }
        throw new TlsError('unexpected_message', 'unexpected_post_handshake_message', `tls: unexpected ${nameOf(HandshakeType, m.type)} after the TLS 1.2 handshake (renegotiation is not supported)`);
      }
      if (m.type === HandshakeType.new_session_ticket) {
        this.flood.note('new_session_ticket');
        const t = decodeNewSessionTicket(m.body);
        checkServerExtensions(t.extensions, 'NewSessionTicket', new Set());
        if (this.sessionTickets.length < MAX_TICKETS) this.sessionTickets.push(t);
        const hs = this.hs!.tls13!;
        const made = sessionFromTicket(hs.authentication, hs.suite, hs.resumptionMasterSecret, t, this.opts.handshake);
        if (made) {
          this.sessions13.push(made);
          if (this.sessions13.length > MAX_TICKETS) this.sessions13.shift();
        }
      } else if (m.type === HandshakeType.key_update) {
        this.flood.note('key_update');
        const request = decodeKeyUpdate(m.body);
        if (this.assembler.hasPartial()) throw new TlsError('unexpected_message', 'message_spans_key_change', 'tls: data after KeyUpdate in the same record');
        this.rotateReadKeys();
        this.keyUpdates.received++;
        if (request === KeyUpdateRequest.update_requested) this.answerKeyUpdate();
      } else if (m.type === HandshakeType.certificate_request && this.opts.handshake.postHandshakeAuth) {
        this.flood.note('certificate_request');
        const hs = this.hs!.tls13!;
        const message = m;
        await this.enqueueWrite(async () => {
          const outcome = await answerPostHandshakeAuth(async (bytes) => this.writeOut(await this.protect(ContentType.handshake, bytes)), this.opts.handshake, hs.suite, hs.transcript, this.writeSecret!, message);
          this.clientAuth = outcome;
          this.postHandshakeAuthAnswered++;
        });
      } else {
        throw new TlsError('unexpected_message', 'unexpected_post_handshake_message', `tls: unexpected ${nameOf(HandshakeType, m.type)} after the handshake`);
      }
    }
  }

  /**
   * Notes that a KeyUpdate(update_not_requested) is owed to the peer. RFC 8446
   * §4.6.3 asks for it "prior to sending its next Application Data record", so
   * it goes out just before our next application data: every request received
   * until then is answered by that one KeyUpdate, and a flood of requests
   * costs one answer, not one each.
   */
  private answerKeyUpdate(): void {
    if (!this.localClosed) this.keyUpdateAnswerPending = true;
  }

  /** Queues the owed KeyUpdate ahead of application data; a failed write fails the connection. */
  private flushKeyUpdateAnswer(): void {
    if (!this.keyUpdateAnswerPending) return;
    this.keyUpdateAnswerPending = false;
    this.enqueueWrite(async () => {
      if (this.fatal || this.localClosed) return;
      await this.keyUpdateNow(KeyUpdateRequest.update_not_requested);
    }).catch((e) => { void this.abort(e); });
  }

  private rotateReadKeys(): void {
    const hs = this.hs!.tls13!;
    this.readSecret = nextTrafficSecret(hs.suite.hash, this.readSecret!);
    const k = trafficKeys(hs.suite.hash, this.readSecret, hs.suite.aead.keyLength);
    this.readDir = new Tls13Direction(hs.suite.aead, k.key, k.iv);
    for (const a of this.readAhead) delete a.opened; // opened under the old keys: open again under the new
  }

  private sendKeyUpdate(request: number): Promise<void> {
    return this.enqueueWrite(() => this.keyUpdateNow(request));
  }

  /** Sends KeyUpdate and switches to the next write key; only called from inside the write queue. */
  private async keyUpdateNow(request: number): Promise<void> {
    await this.writeOut(await this.protect(ContentType.handshake, encodeKeyUpdate(request)));
    const hs = this.hs!.tls13!;
    this.writeSecret = nextTrafficSecret(hs.suite.hash, this.writeSecret!);
    const k = trafficKeys(hs.suite.hash, this.writeSecret, hs.suite.aead.keyLength);
    this.writeDir = new Tls13Direction(hs.suite.aead, k.key, k.iv);
    this.keyUpdates.sent++;
  }

  // ---------------------------------------------------------------- records out

  /**
   * One record of `type` carrying `content`. The sequence number is taken now,
   * so records protected in a row are numbered in call order whenever the
   * provider completes them; callers write the results in that order.
   */
  private async protect(type: number, content: Uint8Array): Promise<Uint8Array> {
    if (this.writeDir) {
      const block = this.version === 'TLSv1.3' ? this.opts.paddingBlock : 0;
      const padding = block > 0 ? (block - ((content.length + 1) % block)) % block : 0;
      const ccs = this.compatCcsPending;
      this.compatCcsPending = false;
      const sealed = await this.writeDir.seal(type, content, Math.max(0, Math.min(padding, this.maxSendContent - content.length)));
      return ccs ? concatAll([CHANGE_CIPHER_SPEC, sealed], CHANGE_CIPHER_SPEC.length + sealed.length) : sealed;
    }
    const out = new Uint8Array(5 + content.length);
    // RFC 8446 §5.1: legacy_record_version 0x0301 is allowed for the initial ClientHello
    encodeRecordHeader(type, this.firstRecordSent ? 0x0303 : 0x0301, content.length, out);
    this.firstRecordSent = true;
    out.set(content, 5);
    return out;
  }

  /** Fragments `data` into records of at most 2^14 bytes and writes them in order. */
  private sendRecords(type: number, data: Uint8Array): Promise<void> {
    if (type === ContentType.application_data) this.flushKeyUpdateAnswer(); // the owed KeyUpdate goes first
    return this.enqueueWrite(async () => {
      // RFC 8446 §5.5: rotate the write key well before the AEAD's safe record count is used up.
      if (this.handshakeDone && this.version === 'TLSv1.3' && type === ContentType.application_data && this.writeDir!.sequenceNumber >= this.opts.keyUpdateAfterRecords) {
        await this.keyUpdateNow(KeyUpdateRequest.update_not_requested);
      }
      // every record is handed to the provider before any completes; Promise.all keeps them in sequence order
      const pending: Promise<Uint8Array>[] = [];
      const step = this.writeDir ? this.maxSendContent : MAX_PLAINTEXT;
      for (let p = 0; p < data.length || (p === 0 && data.length === 0 && type !== ContentType.application_data); p += step) {
        pending.push(this.protect(type, data.subarray(p, Math.min(data.length, p + step))));
        if (data.length === 0) break;
      }
      if (pending.length === 0) return;
      const records = await Promise.all(pending);
      let total = 0;
      for (const r of records) total += r.length;
      const out = records.length === 1 ? records[0]! : concatAll(records, total);
      // during the handshake our messages wait for the rest of the flight (written when we next wait for the peer)
      if (type === ContentType.handshake && !this.handshakeDone) { this.flight.push(out); return; }
      await this.writeOut(out);
    });
  }

  /**
   * Writes `bytes` after whatever of our handshake flight is still buffered,
   * in one transport write; only called from inside the write queue.
   */
  private async writeOut(bytes: Uint8Array): Promise<void> {
    let out = bytes;
    if (this.flight.length) {
      const parts = [...this.flight, bytes];
      this.flight = [];
      out = concatAll(parts, parts.reduce((n, p) => n + p.length, 0));
    }
    if (out.length === 0) return;
    try { await this.transport.write(out); } catch (e) { throw toTlsError(e); }
  }

  /**
   * Sends the buffered handshake flight. A flight goes out as one write, as
   * rustls and Go send it: fewer packets, and a server that gives up after
   * our first message (a refused client certificate) still has the whole
   * flight in hand, so its alert is not lost to a reset.
   */
  private flushFlight(): Promise<void> {
    return this.enqueueWrite(() => this.writeOut(EMPTY));
  }

  private enqueueWrite(task: () => Promise<void>): Promise<void> {
    const run = this.writeChain.then(task);
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- public API

  /**
   * The next chunk of application data, or null once the server has sent
   * close_notify. Never waits forever on a peer that sends no data: records
   * without data are bounded (flood-limits.ts), and `readTimeout` (option) or
   * `signal` end the wait. A timeout or abort fails the connection, since a
   * record may have been half read.
   */
  async read(options: { signal?: AbortSignal } = {}): Promise<Uint8Array | null> {
    if (this.fatal) throw this.fatal;
    const timeoutMs = this.opts.readTimeoutMs;
    try {
      return await withDeadline(this.nextData(), {
        timeoutMs, signal: options.signal, what: 'read()',
        timeout: () => new TlsError('transport', 'read_timeout', `tls: no application data arrived within readTimeout (${timeoutMs} ms)`),
      });
    } catch (e) {
      throw await this.abort(e);
    }
  }

  private async nextData(): Promise<Uint8Array | null> {
    for (;;) {
      const next = this.pendingData.shift();
      if (next) return next;
      const r = await this.readRecord();
      if (r === null) return null;
    }
  }

  /**
   * Sends application data (split into records of at most 2^14 bytes). An
   * abort through `signal` fails the connection: a record may be half written.
   */
  async write(data: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (this.localClosed) throw new TlsError('closed', 'write_after_close', 'tls: write after close()');
    if (data.length === 0) return;
    try {
      await withDeadline(this.sendRecords(ContentType.application_data, data), { signal: options.signal, what: 'write()' });
    } catch (e) { throw await this.abort(e); }
  }

  /** Sends a KeyUpdate (RFC 8446 §4.6.3); by default asks the server to update its keys too. */
  async updateKeys(requestPeerUpdate = true): Promise<void> {
    if (this.fatal) throw this.fatal;
    if (this.localClosed) throw new TlsError('closed', 'write_after_close', 'tls: updateKeys after close()');
    if (this.version !== 'TLSv1.3') throw new TlsError('config', 'key_update_needs_tls13', 'tls: KeyUpdate exists only in TLS 1.3; this connection is TLS 1.2');
    this.keyUpdateAnswerPending = false; // this KeyUpdate also answers any request received so far
    await this.sendKeyUpdate(requestPeerUpdate ? KeyUpdateRequest.update_requested : KeyUpdateRequest.update_not_requested);
  }

  /**
   * Whether this connection keeps the process alive (Node, Bun and Deno sockets; elsewhere nothing to do),
   * as `socket.ref()`/`unref()` do: a pool turns it off while the connection is idle.
   */
  keepProcessAlive(keep: boolean): void {
    this.transport.keepProcessAlive?.(keep);
  }

  /** Sends close_notify and closes the transport. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.localClosed) return;
    this.localClosed = true;
    if (!this.fatal) {
      try { await this.enqueueWrite(async () => this.writeOut(await this.protect(ContentType.alert, encodeAlert('close_notify', AlertLevel.warning)))); } catch { /* peer already gone */ }
    }
    await this.transport.close().catch(() => undefined);
  }

  /** Application data as a WHATWG ReadableStream; it ends at the server's close_notify. */
  get readable(): ReadableStream<Uint8Array> {
    this._readable ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.read();
        if (chunk === null) controller.close(); else controller.enqueue(chunk);
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
    return this._readable;
  }

  /** Application data as a WHATWG WritableStream; closing it sends close_notify. */
  get writable(): WritableStream<Uint8Array> {
    this._writable ??= new WritableStream<Uint8Array>({
      write: (chunk) => this.write(chunk),
      close: () => this.close(),
      abort: () => this.close(),
    });
    return this._writable;
  }

  /**
   * Turns any failure into a TlsError, sends the matching fatal alert if we
   * detected the problem, and closes the transport. Returns the error to throw.
   */
  private async abort(e: unknown): Promise<TlsError> {
    if (this.fatal) return this.fatal;
    const err = toTlsError(e);
    this.fatal = err;
    if (err.alert && err.alertFrom === 'local' && !this.localClosed) {
      try {
        const alert = new Uint8Array([AlertLevel.fatal, alertNumber(err.alert)]);
        await this.enqueueWrite(async () => this.writeOut(await this.protect(ContentType.alert, alert)));
      } catch { /* best effort */ }
    }
    this.localClosed = true;
    await this.transport.close().catch(() => undefined);
    return err;
  }
}

const CHANGE_CIPHER_SPEC = new Uint8Array([ContentType.change_cipher_spec, 3, 3, 0, 1, 1]);
const EMPTY = new Uint8Array(0);
/** "HTTP/": how a plaintext HTTP server answers (a TLS record never starts with 0x48). */
const HTTP_RESPONSE = new Uint8Array([0x48, 0x54, 0x54, 0x50, 0x2f]);

/** Alerts a server sends when it refuses (or missed) a client certificate. */
const CLIENT_AUTH_ALERTS = new Set(['certificate_required', 'bad_certificate', 'unsupported_certificate', 'certificate_unknown', 'unknown_ca', 'access_denied', 'handshake_failure', 'certificate_expired', 'decrypt_error']);

/** Any failure as a TlsError: TransportErrors keep their reason under `transport/`. */
export function toTlsError(e: unknown): TlsError {
  if (e instanceof TlsError) return e;
  if (e instanceof TransportError) return new TlsError('transport', e.reason, `tls: ${e.message}`, { cause: e });
  // Anything else is a bug in isotls; it still surfaces as a TlsError with an alert.
  return new TlsError('internal_error', 'unexpected_exception', `tls: internal error: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

function concatAll(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function hintFor(alert: string): string {
  switch (alert) {
    case 'handshake_failure': return ' (no shared cipher suite, group or signature algorithm, or a required client certificate is missing)';
    case 'protocol_version': return ' (no shared TLS version)';
    case 'certificate_required': return ' (the server requires a client certificate)';
    case 'unrecognized_name': return ' (the server does not know the SNI host name)';
    case 'no_application_protocol': return ' (no shared ALPN protocol)';
    default: return '';
  }
}
