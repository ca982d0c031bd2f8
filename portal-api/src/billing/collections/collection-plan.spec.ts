import fc from 'fast-check';
import { collectionDates, collectionTerms, collectionTimers } from './collection-plan';

const DAY = 86_400_000;
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

describe('collection plan', () => {
  it('reads the terms from the environment, with defaults, and refuses what is not a number of days', () => {
    expect(collectionTerms({})).toEqual({ graceDays: 21, reinstatementDays: 30 });
    expect(collectionTerms({ COLLECTION_GRACE_DAYS: '14', COLLECTION_REINSTATEMENT_DAYS: '60' })).toEqual({ graceDays: 14, reinstatementDays: 60 });
    expect(() => collectionTerms({ COLLECTION_GRACE_DAYS: '1.5' })).toThrow(/COLLECTION_GRACE_DAYS/);
    expect(() => collectionTerms({ COLLECTION_REINSTATEMENT_DAYS: '0' })).toThrow(/COLLECTION_REINSTATEMENT_DAYS/);
  });

  it('grace ends graceDays after the due date, the lapse starts the next day and the window lasts reinstatementDays, over month and year ends', () => {
    const dates = collectionDates('2026-12-20', { graceDays: 21, reinstatementDays: 30 }, [7, 1, 3]);
    expect(dates).toEqual({ dueOn: '2026-12-20', graceEndsOn: '2027-01-10', lapsesOn: '2027-01-11', reinstatableUntil: '2027-02-09', retryDays: [1, 3, 7] });
    expect(collectionTimers(dates)).toEqual({ lastReminderAt: '2027-01-07T08:00:00Z', lapseAt: '2027-01-11T00:00:00Z', writeOffAt: '2027-02-10T00:00:00Z' });
    // A grace shorter than the reminder's lead: the last reminder goes out on the due date, before the lapse.
    expect(collectionTimers(collectionDates('2026-12-20', { graceDays: 1, reinstatementDays: 30 }, [])).lastReminderAt).toBe('2026-12-20T08:00:00Z');
  });

  it('for any due date and terms, the days between the dates are the terms (counted by epoch days, not by the same code)', () => {
    const due = fc.integer({ min: Date.UTC(2024, 0, 1) / DAY, max: Date.UTC(2030, 11, 31) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10));
    fc.assert(
      fc.property(due, fc.integer({ min: 0, max: 366 }), fc.integer({ min: 1, max: 366 }), (dueOn, graceDays, reinstatementDays) => {
        const dates = collectionDates(dueOn, { graceDays, reinstatementDays }, []);
        expect(days(dueOn, dates.graceEndsOn)).toBe(graceDays);
        expect(days(dates.graceEndsOn, dates.lapsesOn)).toBe(1);
        expect(days(dates.lapsesOn, dates.reinstatableUntil) + 1).toBe(reinstatementDays);
        const timers = collectionTimers(dates);
        expect(Date.parse(timers.writeOffAt) - Date.parse(`${dates.reinstatableUntil}T00:00:00Z`)).toBe(DAY);
        expect(Date.parse(timers.lastReminderAt)).toBeGreaterThanOrEqual(Date.parse(`${dueOn}T00:00:00Z`));
        expect(Date.parse(timers.lastReminderAt)).toBeLessThan(Date.parse(timers.lapseAt));
      }),
    );
  });
});
