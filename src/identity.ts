import type { CryptoProvider } from './crypto/provider.js';
import type { PrivateKey } from './crypto/sign.js';
import { TlsError } from './errors.js';
import { localSchemes, type ClientIdentity } from './handshake/client-auth.js';
import { tls12SignatureAlgorithm } from './handshake/signature-schemes.js';
import { SignatureScheme } from './wire/constants.js';
import type { Certificate } from './x509/certificate.js';
import { keyMatchesCertificate } from './x509/key-match.js';
import { parsePkcs12 } from './x509/pkcs12.js';
import { parsePrivateKey } from './x509/private-key.js';
import { loadCertificates, type CertificateInput } from './x509/trust-store.js';

/**
 * A signer the application provides instead of a key: non-extractable
 * WebCrypto keys, hardware tokens, remote signing services. `sign` returns the
 * signature in TLS wire form (DER for ECDSA, raw for RSA and Ed25519).
 */
export interface ExternalSigner {
  /** IANA signature scheme names it can produce, e.g. 'ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256'. */
  algorithms: string[];
  /** Signs `data` with `algorithm` (an IANA signature scheme name from `algorithms`), returning the signature as TLS sends it. */
  sign(algorithm: string, data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

/** One client identity as the user gives it. */
export interface IdentityInput {
  alias?: string;
  /** Leaf first, then intermediates: PEM text or DER. */
  cert?: CertificateInput;
  /** PEM/DER private key (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1) or an ExternalSigner. */
  key?: string | Uint8Array | ExternalSigner;
  passphrase?: string;
  /** PKCS#12 (.p12/.pfx) holding key and chain. */
  pfx?: Uint8Array;
}

/**
 * Local checks before any connection, for servers that will refuse an identity
 * anyway (e.g. API gateways): the error names the problem.
 */
export interface ClientCertificatePolicy {
  /** Presented chain plus the anchor above it. */
  maxChainLength?: number;
  minRsaBits?: number;
  allowedCurves?: ('P-256' | 'P-384' | 'P-521')[];
  allowEd25519?: boolean;
  /** Allow Ed448 keys. Default true. */
  allowEd448?: boolean;
  forbidSha1?: boolean;
}

/** An API gateway profile: chain ≤ 4, SHA-256 or stronger, RSA ≥ 2048, ECDSA P-256/P-384 only. */
export const GATEWAY_CLIENT_CERTIFICATE_POLICY: ClientCertificatePolicy = { maxChainLength: 4, minRsaBits: 2048, allowedCurves: ['P-256', 'P-384'], allowEd25519: false, allowEd448: false, forbidSha1: true };

function configError(reason: string, msg: string): TlsError { return new TlsError('config', reason, `tls: ${msg}`); }

function localSigner(key: PrivateKey, provider: CryptoProvider): ClientIdentity['signer'] {
  return {
    schemes: localSchemes(key.kind, key.kind === 'ec' ? key.curve : undefined),
    sign: async (scheme, data) => provider.sign(tls12SignatureAlgorithm(scheme, provider)!, key, data, provider.random),
  };
}

function externalSigner(s: ExternalSigner): ClientIdentity['signer'] {
  const schemes = s.algorithms.map((name) => {
    const id = (SignatureScheme as Record<string, number>)[name];
    if (id === undefined) throw configError('unknown_signature_algorithm', `external signer algorithm "${name}" is not a known signature scheme`);
    return id;
  });
  const names = new Map(schemes.map((id, i) => [id, s.algorithms[i]!]));
  return { schemes, sign: (scheme, data) => s.sign(names.get(scheme)!, data) };
}

function checkPolicy(alias: string, chain: Certificate[], policy: ClientCertificatePolicy): void {
  const where = (c: Certificate) => `identity "${alias}": certificate "${c.subject.text}"`;
  const selfSigned = (c: Certificate) => c.subject.text === c.issuer.text;
  const length = chain.length + (selfSigned(chain[chain.length - 1]!) ? 0 : 1);
  if (policy.maxChainLength !== undefined && length > policy.maxChainLength) throw configError('client_chain_too_long', `identity "${alias}": the chain has ${length} certificates with its anchor; the policy allows ${policy.maxChainLength}`);
  for (const c of chain) {
    const k = c.publicKey.key;
    if (policy.forbidSha1 && /sha1|SHA-1/i.test(c.signatureAlgorithm.name)) throw configError('client_weak_signature', `${where(c)} is signed with ${c.signatureAlgorithm.name}; the policy requires SHA-256 or stronger`);
    if (k.kind === 'rsa' && policy.minRsaBits !== undefined && k.bits < policy.minRsaBits) throw configError('client_weak_key', `${where(c)} has a ${k.bits}-bit RSA key; the policy requires at least ${policy.minRsaBits}`);
    if (k.kind === 'ec' && policy.allowedCurves && !policy.allowedCurves.includes(k.curve as 'P-256')) throw configError('client_weak_key', `${where(c)} uses curve ${k.curve}; the policy allows ${policy.allowedCurves.join(', ')}`);
    if (k.kind === 'ed448' && policy.allowEd448 === false) throw configError('client_key_type_refused', `${where(c)} has an Ed448 key, which the policy does not allow`);
    if (k.kind === 'ed25519' && policy.allowEd25519 === false) throw configError('client_key_type_refused', `${where(c)} has an Ed25519 key, which the policy does not allow`);
  }
}

/**
 * Builds the client identities from the options, checking each key against
 * its certificate. `where` names each input's options in errors (`cert`/`key`,
 * `identities[1]`); every failure is a `config/…` TlsError that says where.
 */
/** Pre-flight of the client certificate's validity: `now` to check against, or undefined to send it whatever its dates. */
export interface IdentityValidityCheck { now: Date }

export function buildIdentities(inputs: (IdentityInput & { where?: string })[], provider: CryptoProvider, policy: ClientCertificatePolicy | undefined, validity?: IdentityValidityCheck): ClientIdentity[] {
  return inputs.map((input, i) => {
    const where = input.where ?? `identities[${i}]`;
    try {
      const identity = buildIdentity(input, where, i, provider, policy);
      if (validity) checkClientCertificateDates(identity, where, validity.now);
      return identity;
    } catch (e) {
      if (e instanceof TlsError && e.code.startsWith('config/') && e.message.startsWith('tls: `')) throw e;
      const message = e instanceof Error ? e.message.replace(/^tls: /, '') : String(e);
      throw new TlsError('config', e instanceof TlsError ? e.reason : 'bad_identity', `tls: ${where}: ${message}`, { cause: e });
    }
  });
}

/**
 * A server refuses an expired or not-yet-valid client certificate with a bare
 * alert (bad_certificate or certificate_expired), which users read as a server
 * fault; say it before connecting. `sendExpiredClientCertificate: true` skips this.
 */
function checkClientCertificateDates(identity: ClientIdentity, where: string, now: Date): void {
  const leaf = identity.chain[0]!;
  const tail = 'pass sendExpiredClientCertificate: true to send it anyway';
  if (now > leaf.notAfter) throw new TlsError('config', 'client_certificate_expired', `tls: ${where}: the client certificate "${leaf.subject.text}" expired at ${leaf.notAfter.toISOString()} (now ${now.toISOString()}); ${tail}`);
  if (now < leaf.notBefore) throw new TlsError('config', 'client_certificate_not_yet_valid', `tls: ${where}: the client certificate "${leaf.subject.text}" is not valid before ${leaf.notBefore.toISOString()} (now ${now.toISOString()}); ${tail}`);
}

function buildIdentity(input: IdentityInput, where: string, i: number, provider: CryptoProvider, policy: ClientCertificatePolicy | undefined): ClientIdentity {
    let chain: Certificate[];
    let signer: ClientIdentity['signer'];
    let alias = input.alias;
    if (input.pfx) {
      const p12 = parsePkcs12(input.pfx, input.passphrase ?? '');
      chain = p12.certificates;
      alias ??= p12.friendlyName;
      if (!chain.length) throw configError('no_certificate', 'the PKCS#12 file holds no certificate');
      if (!keyMatchesCertificate(p12.key, chain[0]!)) throw configError('key_certificate_mismatch', 'the PKCS#12 key does not match its first certificate');
      signer = localSigner(p12.key, provider);
    } else {
      if (!input.cert || !input.key) throw configError('incomplete_identity', 'pass both cert and key, or pfx');
      chain = loadCertificates(input.cert, where === '`cert`/`key`' ? 'cert' : `${where.replace(/`/g, '')}.cert`, { skipPrivateKeys: true });
      if (!chain.length) throw configError('no_certificate', 'no certificate given');
      if (typeof input.key === 'string' || input.key instanceof Uint8Array) {
        const key = parsePrivateKey(input.key, input.passphrase);
        if (!keyMatchesCertificate(key, chain[0]!)) {
          throw configError('key_certificate_mismatch', `the private key does not match certificate "${chain[0]!.subject.text}"`);
        }
        signer = localSigner(key, provider);
      } else {
        signer = externalSigner(input.key);
      }
    }
    const name = alias ?? chain[0]!.subject.commonName ?? `identity-${i}`;
    if (policy) checkPolicy(name, chain, policy);
    return { alias: name, chain, signer };
}
