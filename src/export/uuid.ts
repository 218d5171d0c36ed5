import * as crypto from 'node:crypto';

/** Vigil's UUID namespace: every STIX id Vigil writes is a UUIDv5 of a Vigil key in it. */
export const VIGIL_UUID_NAMESPACE = '248345e8-1032-4563-8a21-6188e6f672ff';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const namespaces = new Map<string, Buffer>();

/** Node's one-shot hash (20.12 and later) is several times faster than a Hash object; older Nodes use the latter. */
const oneShot = (crypto as { hash?: typeof crypto.hash }).hash;

function sha1(data: Buffer): Buffer {
  return oneShot === undefined ? crypto.createHash('sha1').update(data).digest() : oneShot('sha1', data, 'buffer');
}

/** A name-based UUID, version 5 (SHA-1), as RFC 9562 section 5.5 defines it. */
export function uuidv5(name: string, namespace: string = VIGIL_UUID_NAMESPACE): string {
  let bytes16 = namespaces.get(namespace);
  if (bytes16 === undefined) {
    if (!UUID.test(namespace)) throw new Error(`not a UUID: ${namespace}`);
    bytes16 = Buffer.from(namespace.replace(/-/g, ''), 'hex');
    namespaces.set(namespace, bytes16);
  }
  const digest = sha1(Buffer.concat([bytes16, Buffer.from(name, 'utf8')]));
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
