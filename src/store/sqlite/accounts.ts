import type Database from 'better-sqlite3';
import { VigilError } from '../../core/errors.js';
import {
  auditFromRow,
  endsAnAdmin,
  lastAdminError,
  joinedUser,
  publicUser,
  sessionFromRow,
  tokenFromRow,
  userFromRow,
  USER_COLUMNS,
  type AccountStore,
  type ApiToken,
  type AuditEntry,
  type AuditFilter,
  type AuditRow,
  type NewAuditEntry,
  type Session,
  type SessionRow,
  type StoredUser,
  type TokenRow,
  type User,
  type UserPatch,
  type UserRow,
} from '../accounts.js';
import type { Migration } from '../migration.js';
import { storeError } from '../store-error.js';
import { SqliteFacet } from './facet.js';

/** Schema version 3: users, API tokens (hashes only), web sessions and the audit log. */
export const sqliteAccountsMigration: Migration = {
  version: 3,
  name: 'accounts',
  sql: `
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  prefix       TEXT NOT NULL,
  secret_hash  TEXT NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
  created_at   TEXT NOT NULL,
  expires_at   TEXT,
  last_used_at TEXT,
  revoked_at   TEXT
) STRICT;
CREATE INDEX api_tokens_user_id ON api_tokens (user_id, created_at);

CREATE TABLE sessions (
  id_hash    TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  at         TEXT NOT NULL,
  actor_id   TEXT,
  actor_name TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT,
  outcome    TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  ip         TEXT,
  detail     TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, seq);
`,
};

const USER_SELECT = 'SELECT id, name, role, disabled, password_hash, created_at, updated_at FROM users';
const TOKEN_SELECT = 'SELECT id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at FROM api_tokens';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE' || (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** The accounts of a SqliteStore, on its connection. */
export class SqliteAccountStore extends SqliteFacet implements AccountStore {
  async createUser(user: StoredUser): Promise<User> {
    try {
      this.db
        .prepare('INSERT INTO users (id, name, role, disabled, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(user.id, user.name, user.role, user.disabled ? 1 : 0, user.passwordHash, user.createdAt, user.updatedAt);
    } catch (error) {
      if (isUniqueViolation(error)) throw new VigilError('conflict', `a user named "${user.name}" already exists`, { location: { field: 'name' } });
      throw storeError(`cannot create user ${user.name} (SQLite at ${this.path})`, error);
    }
    return publicUser(user);
  }

  async getUser(id: string): Promise<StoredUser | null> {
    return this.use(`cannot read user ${id}`, (db) => {
      const row = db.prepare(`${USER_SELECT} WHERE id = ?`).get(id) as UserRow | undefined;
      return row === undefined ? null : userFromRow(row);
    });
  }

  async getUserByName(name: string): Promise<StoredUser | null> {
    return this.use(`cannot read user ${name}`, (db) => {
      const row = db.prepare(`${USER_SELECT} WHERE name = ?`).get(name) as UserRow | undefined;
      return row === undefined ? null : userFromRow(row);
    });
  }

  async listUsers(): Promise<User[]> {
    return this.use('cannot list users', (db) => (db.prepare(`${USER_SELECT} ORDER BY name`).all() as UserRow[]).map((row) => publicUser(userFromRow(row))));
  }

  /** Throws lastAdminError when the change ends the last enabled admin; runs inside the caller's transaction. */
  #guardLastAdmin(db: Database.Database, id: string, after: (before: UserRow) => { role: string; disabled: boolean } | null): UserRow | undefined {
    const before = db.prepare(`${USER_SELECT} WHERE id = ?`).get(id) as UserRow | undefined;
    if (before === undefined) return undefined;
    const user = userFromRow(before);
    if (endsAnAdmin(user, after(before))) {
      const others = db.prepare(`SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> ?`).pluck().get(id) as number;
      if (others === 0) throw lastAdminError(user.name);
    }
    return before;
  }

  async updateUser(id: string, patch: UserPatch): Promise<User | null> {
    return this.use(`cannot update user ${id}`, (db) => db.transaction(() => this.#update(db, id, patch)).immediate());
  }

  #update(db: Database.Database, id: string, patch: UserPatch): User | null {
    const current = this.#guardLastAdmin(db, id, (before) => ({ role: patch.role ?? before.role, disabled: patch.disabled ?? (before.disabled === 1 || before.disabled === true) }));
    if (current === undefined) return null;
    const sets = ['updated_at = @updated_at'];
    const params: Record<string, unknown> = { id, updated_at: patch.updatedAt };
    if (patch.role !== undefined) {
      sets.push('role = @role');
      params['role'] = patch.role;
    }
    if (patch.disabled !== undefined) {
      sets.push('disabled = @disabled');
      params['disabled'] = patch.disabled ? 1 : 0;
    }
    if (patch.passwordHash !== undefined) {
      sets.push('password_hash = @password_hash');
      params['password_hash'] = patch.passwordHash;
    }
    const row = db.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = @id RETURNING id, name, role, disabled, password_hash, created_at, updated_at`).get(params) as UserRow | undefined;
    return row === undefined ? null : publicUser(userFromRow(row));
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.use(`cannot delete user ${id}`, (db) =>
      db
        .transaction(() => {
          if (this.#guardLastAdmin(db, id, () => null) === undefined) return false;
          return db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
        })
        .immediate(),
    );
  }

  async countActiveAdmins(): Promise<number> {
    return this.use('cannot count admins', (db) => db.prepare(`SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0`).pluck().get() as number);
  }

  async createToken(token: ApiToken, secretHash: string): Promise<ApiToken> {
    return this.use(`cannot create token ${token.id}`, (db) => {
      db.prepare(
        `INSERT INTO api_tokens (id, user_id, name, prefix, secret_hash, created_at, expires_at, last_used_at, revoked_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(token.id, token.userId, token.name, token.prefix, secretHash, token.createdAt, token.expiresAt, token.lastUsedAt, token.revokedAt);
      return token;
    });
  }

  async findToken(secretHash: string): Promise<{ token: ApiToken; user: StoredUser } | null> {
    return this.use('cannot look up a token', (db) => {
      const row = db
        .prepare(
          `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, ${USER_COLUMNS}
           FROM api_tokens AS t JOIN users AS u ON u.id = t.user_id
           WHERE t.secret_hash = ?`,
        )
        .get(secretHash) as (TokenRow & Record<string, unknown>) | undefined;
      return row === undefined ? null : { token: tokenFromRow(row), user: joinedUser(row) };
    });
  }

  async getToken(id: string): Promise<ApiToken | null> {
    return this.use(`cannot read token ${id}`, (db) => {
      const row = db.prepare(`${TOKEN_SELECT} WHERE id = ?`).get(id) as TokenRow | undefined;
      return row === undefined ? null : tokenFromRow(row);
    });
  }

  async listTokens(userId?: string): Promise<ApiToken[]> {
    return this.use('cannot list tokens', (db) => {
      const rows = (
        userId === undefined
          ? db.prepare(`${TOKEN_SELECT} ORDER BY created_at DESC, id`).all()
          : db.prepare(`${TOKEN_SELECT} WHERE user_id = ? ORDER BY created_at DESC, id`).all(userId)
      ) as TokenRow[];
      return rows.map(tokenFromRow);
    });
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    return this.use(`cannot revoke token ${id}`, (db) => db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes > 0);
  }

  async touchToken(id: string, at: string): Promise<void> {
    this.use(`cannot record the use of token ${id}`, (db) => db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id));
  }

  async createSession(session: Session): Promise<void> {
    this.use('cannot create a session', (db) =>
      db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(session.idHash, session.userId, session.createdAt, session.expiresAt),
    );
  }

  async findSession(idHash: string): Promise<{ session: Session; user: StoredUser } | null> {
    return this.use('cannot look up a session', (db) => {
      const row = db
        .prepare(
          `SELECT s.id_hash, s.user_id, s.created_at, s.expires_at, ${USER_COLUMNS}
           FROM sessions AS s JOIN users AS u ON u.id = s.user_id
           WHERE s.id_hash = ?`,
        )
        .get(idHash) as (SessionRow & Record<string, unknown>) | undefined;
      return row === undefined ? null : { session: sessionFromRow(row), user: joinedUser(row) };
    });
  }

  async deleteSession(idHash: string): Promise<boolean> {
    return this.use('cannot end a session', (db) => db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash).changes > 0);
  }

  async deleteUserSessions(userId: string, exceptIdHash?: string): Promise<number> {
    return this.use(`cannot end the sessions of user ${userId}`, (db) =>
      db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?').run(userId, exceptIdHash ?? null).changes,
    );
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    return this.use('cannot delete expired sessions', (db) => db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes);
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.use(`cannot write the audit log (${entry.action})`, (db) => {
      const result = db
        .prepare('INSERT INTO audit_log (at, actor_id, actor_name, action, target, outcome, ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(entry.at, entry.actorId, entry.actorName, entry.action, entry.target, entry.outcome, entry.ip, entry.detail === null ? null : JSON.stringify(entry.detail));
      return { seq: Number(result.lastInsertRowid), ...entry };
    });
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.use('cannot read the audit log', (db) => {
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (filter.before !== undefined) {
        conditions.push('seq < ?');
        params.push(filter.before);
      }
      if (filter.action !== undefined) {
        conditions.push('action = ?');
        params.push(filter.action);
      }
      if (filter.actorId !== undefined) {
        conditions.push('actor_id = ?');
        params.push(filter.actorId);
      }
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      const rows = db
        .prepare(`SELECT seq, at, actor_id, actor_name, action, target, outcome, ip, detail FROM audit_log ${where} ORDER BY seq DESC LIMIT ?`)
        .all(...params, filter.limit) as AuditRow[];
      return rows.map((row) => auditFromRow(row, (value) => JSON.parse(value as string)));
    });
  }
}
