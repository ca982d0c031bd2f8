import { generateKeyPairSync } from 'node:crypto';
import { DEFAULT_AUTHSERV_ID, stampAuthenticationResults } from '@claims/deploy/src/outbox/sender-authentication';

/**
 * Mail from the seeded customers' domain as our receiving host would hand it
 * on. example.com publishes a DKIM key and a DMARC policy in the local DNS
 * table (`EXAMPLE_DNS`, given to the outbox as its records); its mail is signed
 * with `EXAMPLE_SIGNING` (nodemailer's `dkim` option), so the sender checks
 * pass for real, as the intake requires before it matches a customer.
 */
const dkimKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

export const EXAMPLE_DNS = {
  'dev._domainkey.example.com': [`v=DKIM1; k=rsa; p=${dkimKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`],
  '_dmarc.example.com': ['v=DMARC1; p=reject'],
};

export const EXAMPLE_SIGNING = { domainName: 'example.com', keySelector: 'dev', privateKey: dkimKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };

/** A signed raw message with the verdict our receiving host adds (as the local sink does on SMTP). */
export function stampedByOurHost(signed: Buffer, mailFrom: string): Promise<Buffer> {
  return stampAuthenticationResults(signed, { ip: '127.0.0.1', helo: 'localhost', mailFrom }, DEFAULT_AUTHSERV_ID, EXAMPLE_DNS);
}
