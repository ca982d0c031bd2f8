import { OperatorError } from '../operator-error';
import { identitySettings } from './identity-settings';

describe('the identity settings', () => {
  test('no extra client accounts unless asked, and the count asked for', () => {
    expect(identitySettings({}).extraClients).toBe(0);
    expect(identitySettings({ IDENTITY_EXTRA_CLIENTS: ' 250 ' }).extraClients).toBe(250);
  });

  test.each(['-1', '2.5', 'many', '100001'])('IDENTITY_EXTRA_CLIENTS=%p is refused, naming the setting', (value) => {
    expect(() => identitySettings({ IDENTITY_EXTRA_CLIENTS: value })).toThrow(OperatorError);
    expect(() => identitySettings({ IDENTITY_EXTRA_CLIENTS: value })).toThrow(/IDENTITY_EXTRA_CLIENTS must be a whole number/);
  });
});
