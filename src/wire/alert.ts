import { Reader } from '../bytes/reader.js';
import { AlertDescription, AlertLevel, nameOf } from './constants.js';

/** RFC 8446 §6. */
export interface Alert { level: number; description: number; name: string }

export function decodeAlert(body: Uint8Array): Alert {
  const r = new Reader(body, 'alert');
  const level = r.u8('level');
  const description = r.u8('description');
  r.end();
  return { level, description, name: nameOf(AlertDescription, description) };
}

export function encodeAlert(name: keyof typeof AlertDescription, level: number = AlertLevel.fatal): Uint8Array {
  return new Uint8Array([level, AlertDescription[name]]);
}

export function alertNumber(name: string): number {
  return (AlertDescription as Record<string, number>)[name] ?? AlertDescription.internal_error;
}
