import { renderNotice } from '../notifications/client-notice-templates';
import { checkedIban } from './payment-details.service';

describe('bank details', () => {
  test('an IBAN is kept in electronic form, whatever the spacing and case it was typed in', () => {
    expect(checkedIban('nl91 abna 0417 1643 00')).toBe('NL91ABNA0417164300');
    expect(checkedIban(' DE89 3704 0044 0532 0130 00 ')).toBe('DE89370400440532013000');
  });

  test.each([
    ['NL91 ABNA 0417 1643 01', 'fails its checksum (a character is mistyped)'],
    ['NL91 ABNA 0417 1643', 'has the wrong length for its country'],
    ['ZZ12 3456', 'does not start with a known country code'],
    ['', 'must be an IBAN'],
  ])('%j is refused: %s', (iban, reason) => {
    expect(() => checkedIban(iban)).toThrow(expect.objectContaining({ errors: [{ name: 'iban', reason }] }) as Error);
  });

  test('the client\'s email names the account by its last four characters, and escapes what it shows in HTML', () => {
    const notice = renderNotice('payment-details-changed', { name: 'Chloé <b>Dubois</b>', claimReference: 'CLM-2026-000001', accountEnding: '4300', changedOn: '1 December 2026' }, 'http://localhost:3000/claims/x');
    expect(notice.subject).toBe('Your bank details were changed');
    expect(notice.text).toContain('Your reimbursements now go to the account ending in 4300.');
    expect(notice.text).toContain('See your claim: http://localhost:3000/claims/x');
    expect(notice.html).toContain('Chloé &lt;b&gt;Dubois&lt;/b&gt;');
    expect(notice.html).not.toContain('<b>');
  });
});
