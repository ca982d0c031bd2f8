import { sinceWords, takenWording } from './task-conflicts';

describe('the words of a task someone else took', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('names the person and how long ago, as a person would say it', () => {
    expect(takenWording('adam', ago(5), now)).toBe('Adam took this task a moment ago.');
    expect(takenWording('amelia', ago(5 * 60), now)).toBe('Amelia took this task 5 minutes ago.');
    expect(takenWording('marc', undefined, now)).toBe('Marc took this task already.');
  });

  it('rounds to the unit a person would use', () => {
    expect(sinceWords(ago(89), now)).toBe('a moment ago');
    expect(sinceWords(ago(59 * 60), now)).toBe('59 minutes ago');
    expect(sinceWords(ago(60 * 60), now)).toBe('an hour ago');
    expect(sinceWords(ago(3 * 3600), now)).toBe('3 hours ago');
    expect(sinceWords(ago(3 * 86400), now)).toBe('3 days ago');
    // A clock a little ahead on the other side is still "a moment ago".
    expect(sinceWords(ago(-4), now)).toBe('a moment ago');
  });
});
