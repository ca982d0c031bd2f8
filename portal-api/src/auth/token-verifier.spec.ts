import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { InvalidToken, TokenVerifier } from './token-verifier';

// A real issuer over HTTP (discovery and JWKS), signing with a real RSA key.
describe('TokenVerifier', () => {
  let server: Server;
  let issuer: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/jwks` } : { keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    jest.useRealTimers();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const sign = (expiresAt: number) =>
    new SignJWT({ preferred_username: 'alice', realm_access: { roles: ['client'] } })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('subject-1')
      .setIssuer(issuer)
      .setAudience('claims-portal')
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(privateKey);

  it('takes a checked token again, and refuses it once it has expired though it was checked less than a minute before', async () => {
    // Only the clock is faked: the HTTP round trips to the issuer run on real timers.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'performance', 'hrtime'] });
    const start = Date.now();
    const verifier = new TokenVerifier(issuer, 'claims-portal');
    const token = await sign(start + 30_000);
    expect((await verifier.verify(token)).username).toBe('alice');
    expect((await verifier.verify(token)).roles.has('client')).toBe(true);

    // Past the token's expiry (and jose's 5 s tolerance) but within the cache's minute: refused.
    jest.setSystemTime(start + 40_000);
    await expect(verifier.verify(token)).rejects.toThrow(InvalidToken);
  });

  it('refuses a token whose text differs from a checked one', async () => {
    const verifier = new TokenVerifier(issuer, 'claims-portal');
    const token = await sign(Date.now() + 60_000);
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), realm_access: { roles: ['admin'] } })).toString('base64url')}.${signature}`;
    await expect(verifier.verify(forged)).rejects.toThrow(InvalidToken);
  });
});
