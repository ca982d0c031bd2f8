import { nextCycle, scheduleTimer, staticTimerProblem } from './timer-schedule';

const NOW = Date.parse('2026-01-31T10:00:00Z');

describe('timer schedules', () => {
  it('reads dates with an offset or a zone', () => {
    expect(scheduleTimer('date', '2026-02-01T09:00:00Z', NOW)).toEqual({ ok: true, schedule: { dueAt: Date.parse('2026-02-01T09:00:00Z'), repetitionsLeft: 0 } });
    expect(scheduleTimer('date', '2026-07-01T09:00:00[Europe/Paris]', NOW)).toMatchObject({ schedule: { dueAt: Date.parse('2026-07-01T07:00:00Z') } });
  });

  it('adds durations in calendar terms', () => {
    expect(scheduleTimer('duration', 'PT15M', NOW)).toMatchObject({ schedule: { dueAt: NOW + 15 * 60_000 } });
    expect(scheduleTimer('duration', 'P1M', NOW)).toMatchObject({ schedule: { dueAt: Date.parse('2026-02-28T10:00:00Z') } });
  });

  it('counts cycle repetitions down and stops', () => {
    const first = scheduleTimer('cycle', 'R2/PT1H', NOW);
    expect(first).toMatchObject({ ok: true, schedule: { dueAt: NOW + 3_600_000, repetitionsLeft: 1 } });
    const second = nextCycle('R2/PT1H', 1, NOW + 3_600_000);
    expect(second).toMatchObject({ dueAt: NOW + 7_200_000, repetitionsLeft: 0 });
    expect(nextCycle('R2/PT1H', 0, NOW + 7_200_000)).toBeUndefined();
    expect(scheduleTimer('cycle', 'R/P1D', NOW)).toMatchObject({ schedule: { repetitionsLeft: Infinity } });
    expect(scheduleTimer('cycle', 'R3/2026-02-01T00:00:00Z/PT1H', NOW)).toMatchObject({ schedule: { dueAt: Date.parse('2026-02-01T00:00:00Z'), repetitionsLeft: 2 } });
  });

  it('takes cron cycles as Zeebe does', () => {
    expect(scheduleTimer('cycle', '0 0 9 * * MON-FRI', NOW)).toMatchObject({ schedule: { dueAt: Date.parse('2026-02-02T09:00:00Z') } });
  });

  it('names what is wrong with a bad value', () => {
    expect(staticTimerProblem('duration', 'fifteen minutes')).toMatch(/'fifteen minutes'/);
    expect(staticTimerProblem('date', '2026-13-01T00:00:00Z')).toBeDefined();
    expect(staticTimerProblem('cycle', 'R2/banana')).toBeDefined();
    expect(staticTimerProblem('duration', '-PT1M')).toMatch(/negative/);
    expect(staticTimerProblem('duration', 'PT1M')).toBeUndefined();
  });
});
