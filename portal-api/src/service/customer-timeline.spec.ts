import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './customer-timeline';

describe('timeline cursors', () => {
  it('give back what they were made of, for any time text, kind and id', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), fc.string(), fc.string(), (at, kind, id) => {
        const cursor = { at: at.toISOString(), kind, id };
        expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
      }),
    );
  });

  it('refuse anything that is not a cursor, naming `before`', () => {
    for (const text of ['', 'not-a-cursor', Buffer.from('[1,2,3]').toString('base64url'), Buffer.from('["yesterday","a","b"]').toString('base64url'), Buffer.from('{"at":"2026-01-01"}').toString('base64url')]) {
      expect(() => decodeCursor(text)).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ name: 'before' })] }));
    }
  });
});
