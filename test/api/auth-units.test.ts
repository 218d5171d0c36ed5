import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { accessFor, decide, ruleFor } from '../../src/auth/policy.js';
import { SlidingWindowLimiter } from '../../src/auth/rate-limit.js';
import { roleAtLeast } from '../../src/auth/roles.js';
import { csrfTokenOf, hashSecret, looksLikeToken, newSecret, TOKEN_PREFIX } from '../../src/auth/secrets.js';
import { ACCESS_DEFAULTS, accessSettings, loadConfig } from '../../src/core/config.js';

const FAST = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('stores a salted scrypt hash that verifies the password and nothing else', async () => {
    const a = await hashPassword('a good long password', FAST);
    const b = await hashPassword('a good long password', FAST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('password');
    expect(await verifyPassword('a good long password', a)).toBe(true);
    expect(await verifyPassword('a good long passworD', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('never matches a missing, malformed or tampered hash', async () => {
    const good = await hashPassword('a good long password', FAST);
    const parts = good.split('$');
    const tampered = [...parts.slice(0, 5), `${parts[5]!.slice(0, -2)}AA`].join('$');
    expect(await verifyPassword('a good long password', tampered)).toBe(false);
    expect(await verifyPassword('a good long password', null)).toBe(false);
    expect(await verifyPassword('a good long password', 'plain text')).toBe(false);
    expect(await verifyPassword('a good long password', 'scrypt$1000$8$1$c2FsdA$a2V5')).toBe(false);
  });

  it('refuses passwords shorter than 10 characters with a bad_input naming the field', async () => {
    await expect(hashPassword('short', FAST)).rejects.toMatchObject({ code: 'bad_input', location: { field: 'password' } });
  });
});

describe('secrets', () => {
  it('makes prefixed 32-byte tokens whose SHA-256 is what is stored', () => {
    const token = newSecret(TOKEN_PREFIX);
    expect(looksLikeToken(token)).toBe(true);
    expect(looksLikeToken(`${token}x`)).toBe(false);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(hashSecret(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(newSecret(TOKEN_PREFIX)).not.toBe(token);
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('derives a CSRF token per session that is not the session secret nor its stored hash', () => {
    const session = newSecret('vgs_');
    expect(csrfTokenOf(session)).toBe(csrfTokenOf(session));
    expect(csrfTokenOf(session)).not.toBe(csrfTokenOf(newSecret('vgs_')));
    expect(csrfTokenOf(session)).not.toContain(session.slice(4));
    expect(Buffer.from(csrfTokenOf(session), 'base64url').toString('hex')).not.toBe(hashSecret(session));
  });
});

describe('the access policy', () => {
  it('orders roles', () => {
    expect(roleAtLeast('admin', 'analyst')).toBe(true);
    expect(roleAtLeast('analyst', 'analyst')).toBe(true);
    expect(roleAtLeast('viewer', 'analyst')).toBe(false);
  });

  it('matches concrete paths to routes, literal segments first', () => {
    expect(ruleFor('POST', '/api/incidents/merge')?.path).toBe('/api/incidents/merge');
    expect(ruleFor('POST', '/api/incidents/abc/edit')?.path).toBe('/api/incidents/:id/edit');
    expect(ruleFor('HEAD', '/api/incidents/abc')?.path).toBe('/api/incidents/:id');
    expect(ruleFor('GET', '/api/incidents/abc/edit')).toBeUndefined();
    expect(accessFor('GET', '/api/somewhere-new')).toBe('read');
    expect(accessFor('PUT', '/api/somewhere-new')).toBe('write');
  });

  it('tells 401 from 403', () => {
    const viewer = { id: 'u1', name: 'v', role: 'viewer' as const };
    expect(decide('read', null, { openReads: true })).toEqual({ allowed: true });
    expect(decide('read', null, { openReads: false })).toMatchObject({ allowed: false, reason: 'unauthenticated' });
    expect(decide('write', viewer, { openReads: true })).toMatchObject({ allowed: false, reason: 'forbidden' });
    expect(decide('admin', { ...viewer, role: 'analyst' }, { openReads: true })).toMatchObject({ allowed: false, reason: 'forbidden' });
    expect(decide('admin', { ...viewer, role: 'admin' }, { openReads: false })).toEqual({ allowed: true });
  });
});

describe('the sliding-window limiter', () => {
  it('allows `limit` requests per window, weighs the previous window, and says when to retry', () => {
    let now = 60_000 * 1000;
    const limiter = new SlidingWindowLimiter({ limit: 10, windowMs: 60_000 }, () => now);
    for (let n = 0; n < 10; n += 1) expect(limiter.hit('k').allowed).toBe(true);
    const refused = limiter.hit('k');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect(limiter.hit('other').allowed).toBe(true);

    // Half-way into the next window the previous one still counts half: 5 more fit, not 10.
    now += 90_000;
    let allowed = 0;
    while (limiter.hit('k').allowed) allowed += 1;
    expect(allowed).toBe(5);
    const wait = limiter.check('k');
    expect(wait.allowed).toBe(false);
    if (wait.allowed) return;
    now += wait.retryAfterSeconds * 1000;
    expect(limiter.hit('k').allowed).toBe(true);
  });

  it('gives a retry time after which a request really fits', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 10_000 }, () => now);
    for (let step = 0; step < 200; step += 1) {
      now += 737;
      const decision = limiter.hit('k');
      if (!decision.allowed) {
        const at = now;
        now += decision.retryAfterSeconds * 1000 - 1000;
        if (decision.retryAfterSeconds > 1) expect(limiter.check('k').allowed).toBe(false);
        now = at + decision.retryAfterSeconds * 1000;
        expect(limiter.check('k').allowed).toBe(true);
      }
    }
  });

  it('never lets more than `limit` through in a fixed window, nor twice that in any sliding one (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 300 }), (limit, gaps) => {
        let now = 0;
        const windowMs = 10_000;
        const limiter = new SlidingWindowLimiter({ limit, windowMs }, () => now);
        const allowed: number[] = [];
        for (const gap of gaps) {
          now += gap;
          if (limiter.hit('k').allowed) allowed.push(now);
        }
        const perWindow = new Map<number, number>();
        for (const t of allowed) perWindow.set(Math.floor(t / windowMs), (perWindow.get(Math.floor(t / windowMs)) ?? 0) + 1);
        for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(limit);
        for (let i = 0; i < allowed.length; i += 1) {
          const inWindow = allowed.filter((t) => t >= allowed[i]! && t < allowed[i]! + windowMs).length;
          expect(inWindow).toBeLessThanOrEqual(2 * limit);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('forgets idle keys', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 3, windowMs: 1000 }, () => now);
    for (let n = 0; n < 100; n += 1) limiter.hit(`k${n}`);
    expect(limiter.size).toBe(100);
    now = 5000;
    limiter.hit('fresh');
    expect(limiter.size).toBe(1);
  });
});

describe('access settings', () => {
  it('defaults to open reads and a 600 a minute limit, without changing the base config', () => {
    expect(loadConfig({})).not.toHaveProperty('access');
    expect(accessSettings(loadConfig({}))).toEqual(ACCESS_DEFAULTS);
    expect(ACCESS_DEFAULTS).toMatchObject({ openReads: true, secureCookies: false, rateLimitPerMinute: 600 });
  });

  it('reads VIGIL_OPEN_READS, VIGIL_SECURE_COOKIES, VIGIL_SESSION_HOURS, VIGIL_RATE_LIMIT, VIGIL_LOGIN_RATE_LIMIT, VIGIL_TRUST_PROXY', () => {
    const settings = accessSettings(
      loadConfig({ VIGIL_OPEN_READS: 'false', VIGIL_SECURE_COOKIES: 'yes', VIGIL_SESSION_HOURS: '2', VIGIL_RATE_LIMIT: '0', VIGIL_LOGIN_RATE_LIMIT: '4', VIGIL_TRUST_PROXY: '1' }),
    );
    expect(settings).toEqual({ openReads: false, secureCookies: true, sessionHours: 2, rateLimitPerMinute: 0, loginRateLimitPerMinute: 4, trustProxy: true });
  });

  it('refuses bad values with a config error naming the variable', () => {
    expect(() => loadConfig({ VIGIL_OPEN_READS: 'maybe' })).toThrow(/VIGIL_OPEN_READS must be true or false/);
    expect(() => loadConfig({ VIGIL_RATE_LIMIT: '-1' })).toThrow(/VIGIL_RATE_LIMIT must be an integer/);
    expect(() => loadConfig({ VIGIL_SESSION_HOURS: '0' })).toThrow(/VIGIL_SESSION_HOURS/);
  });
});
