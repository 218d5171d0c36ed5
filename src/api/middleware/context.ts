import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Principal } from '../../auth/roles.js';
import type { User } from '../../store/accounts.js';

/** How a request proved who it is. */
export type Credential = { kind: 'token'; tokenId: string } | { kind: 'session'; idHash: string; secret: string };

declare module 'hono' {
  interface ContextVariableMap {
    /** The signed-in user, or null for an anonymous request (set by the access middleware on every /api request). */
    user: Principal | null;
    /** The credential the user came with; null when anonymous. */
    credential: Credential | null;
    /** The signed-in user's account as read with the credential (without its password hash); null when anonymous. */
    account: User | null;
    /** Set once a route has written its own audit entry, so that the middleware does not write a generic one. */
    audited: boolean;
  }
}

/** The signed-in user of a request, or null. */
export function currentUser(c: Context): Principal | null {
  return c.get('user') ?? null;
}

/** The client's address: X-Forwarded-For's first entry behind a trusted proxy, else the socket's; null when unknown. */
export function clientAddress(c: Context, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded !== undefined && forwarded !== '') return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // app.request() in tests and other adapters have no Node socket.
    return null;
  }
}
