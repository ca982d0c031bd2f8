import { authenticate } from 'mailauth';

/** The authserv-id (RFC 8601) the outbox writes its verdicts under, unless `OUTBOX_AUTHSERV_ID` names another. */
export const DEFAULT_AUTHSERV_ID = 'claims-outbox.local';

/**
 * DNS TXT records the outbox checks senders against instead of the real DNS
 * (a local SMTP sink has no business asking the internet, and dev domains
 * have no records there): `dev._domainkey.example.com` → a DKIM key,
 * `_dmarc.example.com` → a DMARC policy, `example.com` → an SPF record.
 * A name not in the table does not exist, so locally a sender is
 * authenticated only when the table says how.
 */
export type LocalDnsRecords = Readonly<Record<string, readonly string[]>>;

export interface ReceivedFrom {
  readonly ip: string;
  readonly helo: string;
  readonly mailFrom: string;
}

/**
 * The message as a receiving host hands it on: SPF, DKIM and DMARC checked
 * (mailauth), the verdict prepended as `Authentication-Results` under our
 * authserv-id, and any such header the sender wrote under our id removed
 * first (RFC 8601 §5), so that only the verdict we wrote carries our name.
 */
export async function stampAuthenticationResults(raw: Buffer, from: ReceivedFrom, authservId: string, records: LocalDnsRecords): Promise<Buffer> {
  const cleaned = withoutOwnResults(raw, authservId);
  const resolver = (name: string, rrtype: string) => {
    const found = rrtype === 'TXT' ? records[name.toLowerCase()] : undefined;
    if (found) return Promise.resolve(found.map((record) => [record]));
    return Promise.reject(Object.assign(new Error(`${name} ${rrtype}: no such record locally`), { code: 'ENOTFOUND' }));
  };
  const { headers } = await authenticate(cleaned, { ip: from.ip, helo: from.helo, sender: from.mailFrom, mta: authservId, resolver, disableArc: true, disableBimi: true });
  return Buffer.concat([Buffer.from(headers), cleaned]);
}

/** The message without the `Authentication-Results` fields that claim our authserv-id (with their folded lines). */
function withoutOwnResults(raw: Buffer, authservId: string): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const fields = head.split(/\r?\n(?![ \t])/);
  const own = new RegExp(`^authentication-results:\\s*${authservId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*(;|$)`, 'i');
  const kept = fields.filter((field) => !own.test(field.replace(/\r?\n[ \t]+/g, ' ')));
  if (kept.length === fields.length) return raw;
  return Buffer.from(kept.join('\r\n') + (end < 0 ? '' : text.slice(end)), 'latin1');
}
