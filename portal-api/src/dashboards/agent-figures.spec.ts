import fc from 'fast-check';
import { aggregateFigures, type FigureRow } from './agent-figures';

const row = fc.record({
  kind: fc.constantFrom<FigureRow['kind']>('first-response', 'resolution', 'satisfaction'),
  agent: fc.option(fc.constantFrom('adam', 'amelia', 'carla'), { nil: null }),
  team: fc.option(fc.constantFrom('adjuster', 'call-center'), { nil: null }),
  value: fc.integer({ min: 1, max: 10_000 }),
});

/** The mean of what passes a filter, computed the plain way, rounded as the report rounds. */
function mean(rows: readonly FigureRow[], keep: (r: FigureRow) => boolean, places: number): number | null {
  const values = rows.filter(keep).map((r) => r.value);
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return Math.round((sum / values.length) * 10 ** places) / 10 ** places;
}

describe('aggregateFigures', () => {
  test('every group holds exactly its rows: counts add up and averages match a plain computation', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const { overall, agents, teams } = aggregateFigures(rows);
        expect(overall.firstResponse.count).toBe(rows.filter((r) => r.kind === 'first-response').length);
        expect(overall.resolution.averageHours).toBe(mean(rows, (r) => r.kind === 'resolution', 1));
        expect(overall.firstResponse.withinTarget).toBe(rows.filter((r) => r.kind === 'first-response' && r.value <= 120).length);
        // Every row with an agent lands in exactly one agent's figures.
        const counted = agents.reduce((n, a) => n + a.firstResponse.count + a.resolution.count + a.satisfaction.count, 0);
        expect(counted).toBe(rows.filter((r) => r.agent !== null).length);
        for (const team of teams) {
          expect(team.satisfaction.average).toBe(mean(rows, (r) => r.team === team.team && r.kind === 'satisfaction', 2));
          expect(team.firstResponse.averageMinutes).toBe(mean(rows, (r) => r.team === team.team && r.kind === 'first-response', 1));
        }
        for (const agent of agents) {
          const mine = (r: FigureRow) => r.agent === agent.agent && (r.team ?? 'other') === agent.team;
          expect(agent.resolution.count).toBe(rows.filter((r) => mine(r) && r.kind === 'resolution').length);
        }
      }),
    );
  });
});
