import { DEFAULT_AUTHSERV_ID, stampAuthenticationResults } from './sender-authentication';

const message = (extraHeaders: string) => Buffer.from(`${extraHeaders}From: Alice <alice@example.com>\r\nTo: claims@claims.example\r\nSubject: Receipt\r\nMessage-ID: <a@example.com>\r\n\r\nHello\r\n`);
const SPF = { 'example.com': ['v=spf1 ip4:127.0.0.1 -all'] };

describe('outbox sender checks', () => {
  test('SPF against the local DNS table: the authorised address passes, another fails, no record is none', async () => {
    const from = { helo: 'localhost', mailFrom: 'alice@example.com' };
    expect((await stampAuthenticationResults(message(''), { ...from, ip: '127.0.0.1' }, DEFAULT_AUTHSERV_ID, SPF)).toString()).toMatch(new RegExp(`^Received-SPF: pass[\\s\\S]*Authentication-Results: ${DEFAULT_AUTHSERV_ID};[\\s\\S]*spf=pass`));
    expect((await stampAuthenticationResults(message(''), { ...from, ip: '10.1.2.3' }, DEFAULT_AUTHSERV_ID, SPF)).toString()).toMatch(/spf=fail/);
    expect((await stampAuthenticationResults(message(''), { ...from, ip: '127.0.0.1' }, DEFAULT_AUTHSERV_ID, {})).toString()).toMatch(/spf=none/);
  });

  test('a verdict the sender wrote under our authserv-id is dropped (folded lines too); others are kept as they are', async () => {
    const forged = `Authentication-Results: ${DEFAULT_AUTHSERV_ID};\r\n dmarc=pass header.from=example.com\r\nAuthentication-Results: mx.elsewhere.example; dmarc=pass\r\n`;
    const stamped = (await stampAuthenticationResults(message(forged), { ip: '10.1.2.3', helo: 'x', mailFrom: 'alice@example.com' }, DEFAULT_AUTHSERV_ID, {})).toString();
    const ours = stamped.split(/\r\n(?![ \t])/).filter((line) => line.startsWith(`Authentication-Results: ${DEFAULT_AUTHSERV_ID}`));
    expect(ours).toHaveLength(1);
    expect(ours[0]).not.toMatch(/dmarc=pass/);
    expect(stamped).toContain('Authentication-Results: mx.elsewhere.example; dmarc=pass');
    expect(stamped).toContain('\r\n\r\nHello\r\n');
  });
});
