import { VigilError } from '../core/errors.js';
import type { Role } from '../auth/roles.js';
import { facetOf } from './facets.js';
import type { Store } from './store.js';

/** A user as the API shows it: never with its password hash. */
export interface User {
  id: string;
  /** The sign-in name, lower-case. */
  name: string;
  role: Role;
  /** A disabled user can neither sign in nor use a token. */
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A user with the salted scrypt hash of its password (null: cannot sign in with a password). */
export interface StoredUser extends User {
  passwordHash: string | null;
}

/** An API token as listed: its hash stays in the database and the secret was shown once. */
export interface ApiToken {
  id: string;
  userId: string;
  /** What the token is for, chosen by its owner. */
  name: string;
  /** The first characters of the secret, to recognise a token in a list. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A web session; the database keys it by the SHA-256 of the cookie's secret. */
export interface Session {
  idHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** One line of the audit log. */
export interface AuditEntry {
  /** Increasing with every entry: the log's order and its cursor. */
  seq: number;
  at: string;
  /** The user who acted; null for anonymous requests and the command line. */
  actorId: string | null;
  /** The user's name, `anonymous`, or `system:cli`; kept even when the user is deleted. */
  actorName: string;
  /** `auth.login`, `auth.login_failed`, `user.create`, `incident.edit`, … */
  action: string;
  /** What was acted on: a user id, a token id, a request path. */
  target: string | null;
  outcome: 'ok' | 'denied' | 'failed';
  /** The client address, when known. */
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export type NewAuditEntry = Omit<AuditEntry, 'seq'>;

/** Which audit entries to list: newest first, `limit` of them, older than `before` (a seq). */
export interface AuditFilter {
  limit: number;
  before?: number | undefined;
  action?: string | undefined;
  actorId?: string | undefined;
}

/** Fields of a user that can change. */
export interface UserPatch {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  passwordHash?: string | null | undefined;
  updatedAt: string;
}

/**
 * Users, API tokens, sessions and the audit log. Each store has one (`store.accounts`), over the
 * same database as its incidents; one conformance suite (test/store/accounts.test.ts) runs
 * against both.
 */
export interface AccountStore {
  /** Stores a new user; a VigilError('conflict') when the name is taken. */
  createUser(user: StoredUser): Promise<User>;
  getUser(id: string): Promise<StoredUser | null>;
  getUserByName(name: string): Promise<StoredUser | null>;
  /** Every user, by name. */
  listUsers(): Promise<User[]>;
  /**
   * Changes a user; null when there is none with that id. A change that would leave no enabled
   * admin (demoting or disabling the last one) is a VigilError('conflict') and changes nothing;
   * the check and the change are one atomic step, also against concurrent requests.
   */
  updateUser(id: string, patch: UserPatch): Promise<User | null>;
  /** Deletes a user with its tokens and sessions; false when there was none. The last enabled admin is a VigilError('conflict'). */
  deleteUser(id: string): Promise<boolean>;
  /** How many users are admins and not disabled. */
  countActiveAdmins(): Promise<number>;

  /** Stores a token by the SHA-256 of its secret; the secret itself is never given to the store. */
  createToken(token: ApiToken, secretHash: string): Promise<ApiToken>;
  /** The token with this secret hash and its user, whatever their state (the caller checks expiry, revocation, disabled). */
  findToken(secretHash: string): Promise<{ token: ApiToken; user: StoredUser } | null>;
  getToken(id: string): Promise<ApiToken | null>;
  /** Tokens newest first, of one user or of everyone. */
  listTokens(userId?: string): Promise<ApiToken[]>;
  /** Marks a token revoked; false when there is none or it already was. */
  revokeToken(id: string, at: string): Promise<boolean>;
  /** Records that a token was used. */
  touchToken(id: string, at: string): Promise<void>;

  createSession(session: Session): Promise<void>;
  /** The session with this id hash and its user, or null when there is none. */
  findSession(idHash: string): Promise<{ session: Session; user: StoredUser } | null>;
  /** Ends a session (sign-out); false when there was none. */
  deleteSession(idHash: string): Promise<boolean>;
  /** Ends every session of a user (disabled, deleted, or a new password), but the one `exceptIdHash` names. */
  deleteUserSessions(userId: string, exceptIdHash?: string): Promise<number>;
  /** Deletes sessions that expired at or before `now`. */
  deleteExpiredSessions(now: string): Promise<number>;

  /** Appends to the audit log; returns the entry with its seq. */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  listAudit(filter: AuditFilter): Promise<AuditEntry[]>;
}

/** The conflict of a change that would leave no enabled admin. */
export function lastAdminError(name: string): VigilError {
  return new VigilError('conflict', `${name} is the last enabled admin: make another admin first`);
}

/** Whether a change from `before` to `after` (null: deleted) stops a user being an enabled admin. */
export function endsAnAdmin(before: { role: string; disabled: boolean }, after: { role: string; disabled: boolean } | null): boolean {
  const was = before.role === 'admin' && !before.disabled;
  const stays = after !== null && after.role === 'admin' && !after.disabled;
  return was && !stays;
}

/** A store that has accounts: both SqliteStore and PostgresStore are. */
export interface WithAccounts {
  readonly accounts: AccountStore;
}

/** The accounts of a store; a VigilError('config') for a store without them. */
export function accountsOf(store: Store): AccountStore {
  return facetOf<keyof WithAccounts, AccountStore>(store, 'accounts', 'account storage');
}

/** Row shapes shared by the SQL implementations. */
export interface UserRow {
  id: string;
  name: string;
  role: string;
  disabled: number | boolean;
  password_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionRow {
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface AuditRow {
  seq: number | string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target: string | null;
  outcome: string;
  ip: string | null;
  detail: unknown;
}

export function userFromRow(row: UserRow): StoredUser {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Role,
    disabled: row.disabled === true || row.disabled === 1,
    passwordHash: row.password_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The user without its password hash. */
export function publicUser(user: StoredUser | User): User {
  return { id: user.id, name: user.name, role: user.role, disabled: user.disabled, createdAt: user.createdAt, updatedAt: user.updatedAt };
}

export function tokenFromRow(row: TokenRow): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function sessionFromRow(row: SessionRow): Session {
  return { idHash: row.id_hash, userId: row.user_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

export function auditFromRow(row: AuditRow, parse: (value: unknown) => unknown): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    action: row.action,
    target: row.target,
    outcome: row.outcome as AuditEntry['outcome'],
    ip: row.ip,
    detail: row.detail === null ? null : (parse(row.detail) as Record<string, unknown>),
  };
}

/** The columns of a user joined with a token or session, prefixed `u_`. */
export const USER_COLUMNS = 'u.id AS u_id, u.name AS u_name, u.role AS u_role, u.disabled AS u_disabled, u.password_hash AS u_password_hash, u.created_at AS u_created_at, u.updated_at AS u_updated_at';

/** The user of a joined row (see USER_COLUMNS). */
export function joinedUser(row: Record<string, unknown>): StoredUser {
  return userFromRow({
    id: row['u_id'] as string,
    name: row['u_name'] as string,
    role: row['u_role'] as string,
    disabled: row['u_disabled'] as number | boolean,
    password_hash: row['u_password_hash'] as string | null,
    created_at: row['u_created_at'] as string,
    updated_at: row['u_updated_at'] as string,
  });
}
