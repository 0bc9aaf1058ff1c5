import { Reader } from '../bytes/reader.js';
import { TlsError } from '../errors.js';
import { AlertDescription, AlertLevel, nameOf } from './constants.js';

/** RFC 8446 §6. */
export interface Alert { level: number; description: number; name: string }

export function decodeAlert(body: Uint8Array): Alert {
  const r = new Reader(body, 'alert');
  const level = r.u8('level');
  const description = r.u8('description');
  r.end();
  // RFC 5246 §7.2 / RFC 8446 §6: the level is warning(1) or fatal(2)
  if (level !== AlertLevel.warning && level !== AlertLevel.fatal) throw new TlsError('illegal_parameter', 'bad_alert_level', `tls: alert with level ${level}`);
  return { level, description, name: nameOf(AlertDescription, description) };
}

export function encodeAlert(name: keyof typeof AlertDescription, level: number = AlertLevel.fatal): Uint8Array {
  return new Uint8Array([level, AlertDescription[name]]);
}

export function alertNumber(name: string): number {
  return (AlertDescription as Record<string, number>)[name] ?? AlertDescription.internal_error;
}
