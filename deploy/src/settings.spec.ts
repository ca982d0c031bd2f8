import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OperatorError } from './operator-error';
import { readDatabaseUrl, readPort, redactUrl, REPOSITORY_ROOT, settingsTableMarkdown, withDatabase } from './settings';

describe('settings', () => {
  it('are all in the README table, exactly as settings.ts lists them', () => {
    const readme = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
    // Regenerate with: npm run docs:settings -w deploy
    expect(readme).toContain(settingsTableMarkdown());
  });

  describe('readPort', () => {
    it('takes the default when unset or blank', () => {
      expect(readPort({}, 'ENGINE_PORT', 8080)).toBe(8080);
      expect(readPort({ ENGINE_PORT: ' ' }, 'ENGINE_PORT', 8080)).toBe(8080);
      expect(readPort({}, 'POSTGRES_PORT')).toBeUndefined();
    });

    it('reads a valid port', () => {
      expect(readPort({ ENGINE_PORT: '9090' }, 'ENGINE_PORT', 8080)).toBe(9090);
    });

    it.each(['0', '65536', '80.5', 'http', '-1'])('refuses %p, naming the variable', (raw) => {
      expect(() => readPort({ ENGINE_PORT: raw }, 'ENGINE_PORT', 8080)).toThrow(OperatorError);
      expect(() => readPort({ ENGINE_PORT: raw }, 'ENGINE_PORT', 8080)).toThrow(/ENGINE_PORT must be a TCP port/);
    });
  });

  describe('database URLs', () => {
    it('refuses a URL of another scheme, naming the variable', () => {
      expect(() => readDatabaseUrl({ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL')).toThrow(/DATABASE_URL must be a postgres:\/\/ URL/);
    });

    it('never echoes a password in its errors or logs', () => {
      expect(() => readDatabaseUrl({ DATABASE_URL: 'not a url secret' }, 'DATABASE_URL')).toThrow(/^DATABASE_URL is not a URL: "<unparseable URL>"/);
      expect(redactUrl('postgres://app:s3cret@db:5432/claims')).toBe('postgres://app:***@db:5432/claims');
    });

    it('points at another database on the same server', () => {
      expect(withDatabase(new URL('postgres://app:pw@db:5432/postgres?sslmode=require'), 'engine').href).toBe(
        'postgres://app:pw@db:5432/engine?sslmode=require',
      );
    });
  });
});
