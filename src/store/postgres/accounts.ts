import type pg from 'pg';
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
import { PostgresFacet } from './facet.js';

/** Schema version 3: users, API tokens (hashes only), web sessions and the audit log. */
export const postgresAccountsMigration: Migration = {
  version: 3,
  name: 'accounts',
  sql: `
CREATE TABLE users (
  id            text COLLATE "C" PRIMARY KEY,
  name          text COLLATE "C" NOT NULL UNIQUE,
  role          text NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
  disabled      boolean NOT NULL DEFAULT false,
  password_hash text,
  created_at    text NOT NULL,
  updated_at    text NOT NULL
);

CREATE TABLE api_tokens (
  id           text COLLATE "C" PRIMARY KEY,
  user_id      text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  prefix       text NOT NULL,
  secret_hash  text COLLATE "C" NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
  created_at   text NOT NULL,
  expires_at   text,
  last_used_at text,
  revoked_at   text
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id, created_at);

CREATE TABLE sessions (
  id_hash    text COLLATE "C" PRIMARY KEY CHECK (length(id_hash) = 64),
  user_id    text COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at text NOT NULL,
  expires_at text COLLATE "C" NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE audit_log (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         text NOT NULL,
  actor_id   text COLLATE "C",
  actor_name text NOT NULL,
  action     text NOT NULL,
  target     text,
  outcome    text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  ip         text,
  detail     jsonb
);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor_id ON audit_log (actor_id, seq);
`,
};

const USER_SELECT = 'SELECT id, name, role, disabled, password_hash, created_at, updated_at FROM users';
const TOKEN_SELECT = 'SELECT id, user_id, name, prefix, created_at, expires_at, last_used_at, revoked_at FROM api_tokens';

/** The accounts of a PostgresStore, on its connection pool. */
export class PostgresAccountStore extends PostgresFacet implements AccountStore {
  async createUser(user: StoredUser): Promise<User> {
    try {
      await this.pool.query(
        'INSERT INTO users (id, name, role, disabled, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [user.id, user.name, user.role, user.disabled, user.passwordHash, user.createdAt, user.updatedAt],
      );
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code === '23505') {
        throw new VigilError('conflict', `a user named "${user.name}" already exists`, { location: { field: 'name' } });
      }
      throw storeError(`cannot create user ${user.name} (PostgreSQL at ${this.where()})`, error);
    }
    return publicUser(user);
  }

  async getUser(id: string): Promise<StoredUser | null> {
    const { rows } = await this.query<UserRow>(`cannot read user ${id}`, `${USER_SELECT} WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : userFromRow(rows[0]);
  }

  async getUserByName(name: string): Promise<StoredUser | null> {
    const { rows } = await this.query<UserRow>(`cannot read user ${name}`, `${USER_SELECT} WHERE name = $1`, [name]);
    return rows[0] === undefined ? null : userFromRow(rows[0]);
  }

  async listUsers(): Promise<User[]> {
    const { rows } = await this.query<UserRow>('cannot list users', `${USER_SELECT} ORDER BY name`);
    return rows.map((row) => publicUser(userFromRow(row)));
  }

  /**
   * Runs `work` in a transaction that first locks the rows of the enabled admins, so that two
   * concurrent changes cannot each remove a different one of the last two.
   */
  async #guarded<T>(doing: string, id: string, work: (client: pg.PoolClient, before: StoredUser | null, otherAdmins: number) => Promise<T>): Promise<T> {
    return this.transaction(doing, async (client) => {
      const admins = await client.query<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' AND NOT disabled ORDER BY id FOR UPDATE`);
      const row = (await client.query<UserRow>(`${USER_SELECT} WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      return work(client, row === undefined ? null : userFromRow(row), admins.rows.filter((r) => r.id !== id).length);
    });
  }

  async updateUser(id: string, patch: UserPatch): Promise<User | null> {
    const values: unknown[] = [id, patch.updatedAt];
    const sets = ['updated_at = $2'];
    if (patch.role !== undefined) {
      values.push(patch.role);
      sets.push(`role = $${values.length}`);
    }
    if (patch.disabled !== undefined) {
      values.push(patch.disabled);
      sets.push(`disabled = $${values.length}`);
    }
    if (patch.passwordHash !== undefined) {
      values.push(patch.passwordHash);
      sets.push(`password_hash = $${values.length}`);
    }
    return this.#guarded(`cannot update user ${id}`, id, async (client, before, otherAdmins) => {
      if (before === null) return null;
      if (otherAdmins === 0 && endsAnAdmin(before, { role: patch.role ?? before.role, disabled: patch.disabled ?? before.disabled })) throw lastAdminError(before.name);
      const { rows } = await client.query<UserRow>(
        `UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING id, name, role, disabled, password_hash, created_at, updated_at`,
        values,
      );
      return rows[0] === undefined ? null : publicUser(userFromRow(rows[0]));
    });
  }

  async deleteUser(id: string): Promise<boolean> {
    return this.#guarded(`cannot delete user ${id}`, id, async (client, before, otherAdmins) => {
      if (before === null) return false;
      if (otherAdmins === 0 && endsAnAdmin(before, null)) throw lastAdminError(before.name);
      const result = await client.query('DELETE FROM users WHERE id = $1', [id]);
      return (result.rowCount ?? 0) > 0;
    });
  }

  async countActiveAdmins(): Promise<number> {
    const { rows } = await this.query<{ n: number }>('cannot count admins', `SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`);
    return rows[0]?.n ?? 0;
  }

  async createToken(token: ApiToken, secretHash: string): Promise<ApiToken> {
    await this.query(
      `cannot create token ${token.id}`,
      `INSERT INTO api_tokens (id, user_id, name, prefix, secret_hash, created_at, expires_at, last_used_at, revoked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [token.id, token.userId, token.name, token.prefix, secretHash, token.createdAt, token.expiresAt, token.lastUsedAt, token.revokedAt],
    );
    return token;
  }

  async findToken(secretHash: string): Promise<{ token: ApiToken; user: StoredUser } | null> {
    const { rows } = await this.query<TokenRow & Record<string, unknown>>(
      'cannot look up a token',
      `SELECT t.id, t.user_id, t.name, t.prefix, t.created_at, t.expires_at, t.last_used_at, t.revoked_at, ${USER_COLUMNS}
       FROM api_tokens AS t JOIN users AS u ON u.id = t.user_id
       WHERE t.secret_hash = $1`,
      [secretHash],
    );
    const row = rows[0];
    return row === undefined ? null : { token: tokenFromRow(row), user: joinedUser(row) };
  }

  async getToken(id: string): Promise<ApiToken | null> {
    const { rows } = await this.query<TokenRow>(`cannot read token ${id}`, `${TOKEN_SELECT} WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : tokenFromRow(rows[0]);
  }

  async listTokens(userId?: string): Promise<ApiToken[]> {
    const { rows } =
      userId === undefined
        ? await this.query<TokenRow>('cannot list tokens', `${TOKEN_SELECT} ORDER BY created_at DESC, id`)
        : await this.query<TokenRow>('cannot list tokens', `${TOKEN_SELECT} WHERE user_id = $1 ORDER BY created_at DESC, id`, [userId]);
    return rows.map(tokenFromRow);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    const result = await this.query(`cannot revoke token ${id}`, 'UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id]);
    return (result.rowCount ?? 0) > 0;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.query(`cannot record the use of token ${id}`, 'UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  async createSession(session: Session): Promise<void> {
    await this.query('cannot create a session', 'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
      session.idHash,
      session.userId,
      session.createdAt,
      session.expiresAt,
    ]);
  }

  async findSession(idHash: string): Promise<{ session: Session; user: StoredUser } | null> {
    const { rows } = await this.query<SessionRow & Record<string, unknown>>(
      'cannot look up a session',
      `SELECT s.id_hash, s.user_id, s.created_at, s.expires_at, ${USER_COLUMNS}
       FROM sessions AS s JOIN users AS u ON u.id = s.user_id
       WHERE s.id_hash = $1`,
      [idHash],
    );
    const row = rows[0];
    return row === undefined ? null : { session: sessionFromRow(row), user: joinedUser(row) };
  }

  async deleteSession(idHash: string): Promise<boolean> {
    const result = await this.query('cannot end a session', 'DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    return (result.rowCount ?? 0) > 0;
  }

  async deleteUserSessions(userId: string, exceptIdHash?: string): Promise<number> {
    const result = await this.query(`cannot end the sessions of user ${userId}`, 'DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [userId, exceptIdHash ?? null]);
    return result.rowCount ?? 0;
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const result = await this.query('cannot delete expired sessions', 'DELETE FROM sessions WHERE expires_at <= $1', [now]);
    return result.rowCount ?? 0;
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const { rows } = await this.query<{ seq: string }>(
      `cannot write the audit log (${entry.action})`,
      `INSERT INTO audit_log (at, actor_id, actor_name, action, target, outcome, ip, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
      [entry.at, entry.actorId, entry.actorName, entry.action, entry.target, entry.outcome, entry.ip, entry.detail === null ? null : JSON.stringify(entry.detail)],
    );
    return { seq: Number(rows[0]?.seq), ...entry };
  }

  async listAudit(filter: AuditFilter): Promise<AuditEntry[]> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.before !== undefined) {
      values.push(filter.before);
      conditions.push(`seq < $${values.length}`);
    }
    if (filter.action !== undefined) {
      values.push(filter.action);
      conditions.push(`action = $${values.length}`);
    }
    if (filter.actorId !== undefined) {
      values.push(filter.actorId);
      conditions.push(`actor_id = $${values.length}`);
    }
    values.push(filter.limit);
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const { rows } = await this.query<AuditRow>(
      'cannot read the audit log',
      `SELECT seq, at, actor_id, actor_name, action, target, outcome, ip, detail FROM audit_log ${where} ORDER BY seq DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map((row) => auditFromRow(row, (value) => value));
  }
}
