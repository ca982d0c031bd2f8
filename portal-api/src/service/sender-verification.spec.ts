import { parseResults, senderVerified } from './sender-verification';

const OURS = 'mx.insurer.example';

describe('sender verification (Authentication-Results)', () => {
  test('DMARC pass for the From domain, under our authserv-id, verifies the sender', () => {
    expect(senderVerified([`${OURS}; dkim=pass header.i=@example.com header.s=dev; spf=none smtp.mailfrom=alice@example.com; dmarc=pass (p=REJECT) header.from=example.com`], 'alice@example.com', OURS)).toBe(true);
  });

  test('the same verdict under another authserv-id, or below ours, is ignored', () => {
    expect(senderVerified(['mx.attacker.example; dmarc=pass header.from=example.com'], 'alice@example.com', OURS)).toBe(false);
    expect(senderVerified([`${OURS}; dmarc=fail header.from=example.com`, `${OURS}; dmarc=pass header.from=example.com`], 'alice@example.com', OURS)).toBe(false);
    expect(senderVerified([], 'alice@example.com', OURS)).toBe(false);
  });

  test('DKIM or SPF pass counts only when aligned with the From domain', () => {
    expect(senderVerified([`${OURS}; dkim=pass header.d=example.com; dmarc=none`], 'alice@example.com', OURS)).toBe(true);
    expect(senderVerified([`${OURS}; dkim=pass header.d=example.com`], 'alice@mail.example.com', OURS)).toBe(true);
    expect(senderVerified([`${OURS}; dkim=pass header.d=attacker.example; dmarc=fail header.from=example.com`], 'alice@example.com', OURS)).toBe(false);
    expect(senderVerified([`${OURS}; dkim=pass header.d=com`], 'alice@example.com', OURS)).toBe(false);
    expect(senderVerified([`${OURS}; spf=pass smtp.mailfrom=bounce@example.com`], 'alice@example.com', OURS)).toBe(true);
    expect(senderVerified([`${OURS}; spf=pass smtp.mailfrom=bounce@attacker.example`], 'alice@example.com', OURS)).toBe(false);
    expect(senderVerified([`${OURS}; dmarc=pass header.from=attacker.example`], 'alice@example.com', OURS)).toBe(false);
  });

  test('comments, folding and case are read as RFC 8601 writes them', () => {
    expect(parseResults(`MX.Insurer.Example 1;\r\n DKIM=pass (good (nested) signature) header.d=Example.com;\r\n none`)).toEqual({ authservId: OURS, results: [{ method: 'dkim', result: 'pass', properties: { 'header.d': 'example.com' } }] });
    expect(senderVerified([`(comment) ${OURS}; none`], 'alice@example.com', OURS)).toBe(false);
  });
});
