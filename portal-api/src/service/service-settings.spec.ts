import { OperatorError } from '@claims/deploy';
import { DEFAULT_AUTHSERV_ID } from '@claims/deploy/src/outbox/sender-authentication';
import { readIntakeSettings } from './service-settings';

describe('claims mailbox settings', () => {
  test('locally the sink is trusted under the outbox\'s authserv-id; with IMAP the operator must name their receiving host', () => {
    expect(readIntakeSettings({}).authservId).toBe(DEFAULT_AUTHSERV_ID);
    expect(readIntakeSettings({ OUTBOX_AUTHSERV_ID: 'sink.dev.example' }).authservId).toBe('sink.dev.example');
    expect(() => readIntakeSettings({ INTAKE_IMAP_URL: 'imaps://u:p@mail.example.com/INBOX' })).toThrow(/INTAKE_AUTHSERV_ID/);
    expect(readIntakeSettings({ INTAKE_IMAP_URL: 'imaps://u:p@mail.example.com/INBOX', INTAKE_AUTHSERV_ID: 'MX.Example.com' }).authservId).toBe('mx.example.com');
    expect(() => readIntakeSettings({ INTAKE_AUTHSERV_ID: 'mx example; dmarc=pass' })).toThrow(OperatorError);
  });

  test('tries before a failing message is queued, and the largest message read, have defaults and bounds', () => {
    expect(readIntakeSettings({})).toMatchObject({ maxAttempts: 3, maxMessageBytes: 40 * 1024 * 1024 });
    expect(readIntakeSettings({ INTAKE_MAX_ATTEMPTS: '5', INTAKE_MAX_MESSAGE_MIB: '2' })).toMatchObject({ maxAttempts: 5, maxMessageBytes: 2 * 1024 * 1024 });
    for (const value of ['0', '101', '2.5', 'x']) expect(() => readIntakeSettings({ INTAKE_MAX_ATTEMPTS: value })).toThrow(/INTAKE_MAX_ATTEMPTS/);
    for (const value of ['0', '1025', 'x']) expect(() => readIntakeSettings({ INTAKE_MAX_MESSAGE_MIB: value })).toThrow(/INTAKE_MAX_MESSAGE_MIB/);
  });
});
