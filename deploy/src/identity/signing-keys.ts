import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

export interface IssuerSecrets {
  /** Private RS256 signing key, as JWK (its public half is served at the JWKS endpoint). */
  readonly signingKey: JWK;
  /** Keys that sign the issuer's own cookies (login sessions). */
  readonly cookieKeys: string[];
}

/**
 * The issuer's keys, made on first start and kept under the data folder, so
 * that tokens and sign-ins survive a restart as they would on Keycloak.
 */
export async function loadOrCreateIssuerSecrets(folder: string): Promise<IssuerSecrets> {
  const file = path.join(folder, 'issuer-secrets.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as IssuerSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') };
  const secrets: IssuerSecrets = { signingKey, cookieKeys: [randomBytes(32).toString('base64url')] };
  await mkdir(folder, { recursive: true });
  await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
