import { describe, expect, it } from 'vitest';
import { isPostgresUrl, loadConfig } from '../../src/core/config.js';
import { VigilError } from '../../src/core/errors.js';

describe('loadConfig', () => {
  it('defaults to a local SQLite file on 127.0.0.1:8080', () => {
    expect(loadConfig({})).toEqual({ db: './vigil.db', host: '127.0.0.1', port: 8080, logLevel: 'info' });
  });

  it('reads VIGIL_* variables, and flags win over them', () => {
    const env = { VIGIL_DB: 'postgres://u@h/db', VIGIL_PORT: '9000', VIGIL_LOG_LEVEL: 'debug' };
    expect(loadConfig(env)).toMatchObject({ db: 'postgres://u@h/db', port: 9000, logLevel: 'debug' });
    expect(loadConfig(env, { db: 'x.db', port: '0' })).toMatchObject({ db: 'x.db', port: 0 });
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('refuses a bad port or log level with a config error that says what is expected', () => {
    expect(() => loadConfig({ VIGIL_PORT: 'eighty' })).toThrow(/port must be an integer from 0 to 65535/);
    expect(() => loadConfig({ VIGIL_LOG_LEVEL: 'loud' })).toThrow(VigilError);
  });
});

describe('isPostgresUrl', () => {
  it('tells URLs from file paths', () => {
    expect(isPostgresUrl('postgres://postgres@127.0.0.1/test')).toBe(true);
    expect(isPostgresUrl('postgresql://x')).toBe(true);
    expect(isPostgresUrl('./vigil.db')).toBe(false);
  });
});
