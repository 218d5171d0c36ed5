import type { Context } from 'hono';
import type { AccountStore, AuditEntry, NewAuditEntry } from '../../store/accounts.js';
import { clientAddress, currentUser } from './context.js';

/** What a route says about the change it made; who, when and from where come from the request. */
export type AuditNote = Pick<NewAuditEntry, 'action' | 'target' | 'outcome'> & { detail?: Record<string, unknown> | null };

/** Writes an audit entry for this request, and marks the request as audited. */
export async function writeAudit(
  c: Context,
  deps: { accounts: AccountStore; trustProxy: boolean; now: () => Date },
  note: AuditNote,
  actor?: { id: string | null; name: string },
): Promise<AuditEntry> {
  const user = currentUser(c);
  c.set('audited', true);
  return deps.accounts.appendAudit({
    at: deps.now().toISOString(),
    actorId: actor?.id ?? user?.id ?? null,
    actorName: actor?.name ?? user?.name ?? 'anonymous',
    action: note.action,
    target: note.target,
    outcome: note.outcome,
    ip: clientAddress(c, deps.trustProxy),
    detail: note.detail ?? null,
  });
}
