import { careWords } from '@claims/portal-api/src/claims/care-wording';
import { date as webDate, money as webMoney } from '@claims/portal-web/common/format';
import { itemLabel } from '../steps/claim-validation';
import { formatMoney } from '../steps/money';
import { renderMessage } from './templates';
import { formatDate, formatDateTime } from './dates';

describe('dates and kinds of care as people read them', () => {
  test('dates follow the locale of the amounts (en-GB), in emails and on the web alike', () => {
    expect(formatMoney(1234.5, 'EUR')).toBe('€1,234.50');
    expect(formatDate('2026-12-01')).toBe('1 Dec 2026');
    expect(formatDate('2026-12-15T23:30:00.000Z')).toBe('15 Dec 2026');
    expect(formatDateTime('2026-12-01T14:05:00.000Z')).toBe('1 Dec 2026, 14:05 UTC');
    expect(webDate('2026-12-01')).toBe(formatDate('2026-12-01'));
    expect(webMoney(1234.5, 'EUR')).toBe(formatMoney(1234.5, 'EUR'));
  });

  test('care codes read as words, never as a spelt-out code', () => {
    expect(careWords('GP_VISIT')).toBe('General practitioner visit');
    expect(careWords('PHARMACY')).toBe('Prescribed medicines');
    expect(careWords('SLEEP_STUDY')).toBe('Sleep study');
    expect(itemLabel({ lineNumber: 2, careCode: 'GP_VISIT', serviceDate: '2026-11-30' })).toBe('2. General practitioner visit, 30 Nov 2026');
    expect(itemLabel({ lineNumber: 1, careCode: 'GP_VISIT', serviceDate: '2026-11-30' }, { label: 'GP consultation' })).toBe('1. GP consultation, 30 Nov 2026');
  });

  test('a request for information gives its deadline as a date people read', () => {
    const mail = renderMessage('information-requested', { name: 'Alice', reference: 'CLM-1', question: 'Send the receipt.', due: formatDate('2026-12-15T10:00:00Z'), link: 'http://claims.test/claims/1' });
    expect(mail.text).toContain('Please answer by 15 Dec 2026.');
    expect(mail.sms).toContain('by 15 Dec 2026');
  });
});
