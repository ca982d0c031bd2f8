import { type Api } from '@claims/portal-web/common/api';
import { words } from '@claims/portal-web/common/format';
import { useLoaded } from '@claims/portal-web/common/use-loaded';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { BarChart } from './dashboard-charts';

interface Figures {
  readonly firstResponse: { count: number; averageMinutes: number | null; withinTarget: number };
  readonly resolution: { count: number; averageHours: number | null };
  readonly satisfaction: { count: number; average: number | null };
}

interface AgentFigures {
  readonly range: { from: string; to: string };
  readonly targets: { satisfactionAbove: number; firstResponseHours: number };
  readonly overall: Figures;
  readonly agents: readonly (Figures & { agent: string; team: string })[];
  readonly teams: readonly (Figures & { team: string })[];
}

const minutes = (value: number | null) => (value === null ? '—' : value < 120 ? `${value.toFixed(1)} min` : `${(value / 60).toFixed(1)} h`);
const hours = (value: number | null) => (value === null ? '—' : value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} d`);
const score = (figures: Figures) => (figures.satisfaction.average === null ? '—' : `${figures.satisfaction.average.toFixed(2)} (${figures.satisfaction.count})`);
const within = (figures: Figures) => (figures.firstResponse.count === 0 ? '—' : `${figures.firstResponse.withinTarget} of ${figures.firstResponse.count}`);

function FiguresRow(props: { label: string; header: string; team?: string; figures: Figures }) {
  return (
    <tr>
      <td data-label={props.header}>{props.label}</td>
      {props.team !== undefined ? <td data-label="Team">{words(props.team)}</td> : null}
      <td data-label="First response" class="num">{minutes(props.figures.firstResponse.averageMinutes)}</td>
      <td data-label="Within target" class="num">{within(props.figures)}</td>
      <td data-label="Resolution" class="num">{hours(props.figures.resolution.averageHours)}</td>
      <td data-label="Satisfaction" class="num">{score(props.figures)}</td>
    </tr>
  );
}

/**
 * Customer service per agent and team (`GET /api/dashboards/agents`): first
 * response, resolution and satisfaction over the dashboard's range, charts
 * with the targets drawn across them, and the same figures in tables.
 */
export function AgentFiguresSection(props: { api: Api; search: string }) {
  // The claims report's route filter does not apply to people; the range and team do.
  const query = new URLSearchParams(props.search);
  query.delete('route');
  const { value: figures, error } = useLoaded(() => props.api.get<AgentFigures>(`/dashboards/agents${query.size > 0 ? `?${query.toString()}` : ''}`), query.toString());

  return (
    <section aria-labelledby="service-title">
      <h2 id="service-title">Customer service</h2>
      <p class="muted">First response: a claim sent, or a mail to the claims mailbox that waited in the queue, to the first staff action. Resolution: a claim sent to its decision. Satisfaction: the clients' survey scores, 1 to 5.</p>
      <ErrorMessage error={error} />
      {!figures ? (error ? null : <Loading what="the customer-service figures" />) : (
        <>
          <dl class="figures" data-testid="service-figures">
            <div><dt>First response, average</dt><dd>{minutes(figures.overall.firstResponse.averageMinutes)} <span class="muted">(target {figures.targets.firstResponseHours} h; {within(figures.overall)} within)</span></dd></div>
            <div><dt>Resolution, average</dt><dd>{hours(figures.overall.resolution.averageHours)}</dd></div>
            <div><dt>Satisfaction</dt><dd>{score(figures.overall)} <span class="muted">(target above {figures.targets.satisfactionAbove})</span></dd></div>
          </dl>
          {figures.agents.length === 0 ? <p>No staff action in this range.</p> : (
            <>
              <BarChart
                label={`Average first response in minutes per agent; the target, ${figures.targets.firstResponseHours * 60} minutes, is drawn as a dashed line`}
                horizontal
                unit="minutes"
                categories={figures.agents.map((row) => `${row.agent} (${words(row.team)})`)}
                series={[{ label: 'First response (minutes)', values: figures.agents.map((row) => row.firstResponse.averageMinutes ?? 0) }]}
                references={[{ value: figures.targets.firstResponseHours * 60, label: `target ${figures.targets.firstResponseHours} h` }]}
              />
              <BarChart
                label={`Average satisfaction per agent from 1 to 5; the target, above ${figures.targets.satisfactionAbove}, is drawn as a dashed line`}
                horizontal
                unit="score"
                max={5}
                categories={figures.agents.map((row) => `${row.agent} (${words(row.team)})`)}
                series={[{ label: 'Satisfaction', values: figures.agents.map((row) => row.satisfaction.average ?? 0) }]}
                references={[{ value: figures.targets.satisfactionAbove, label: `target ${figures.targets.satisfactionAbove}` }]}
              />
              <table class="data" aria-label="Customer service per agent">
                <thead><tr><th scope="col">Agent</th><th scope="col">Team</th><th scope="col" class="num">First response</th><th scope="col" class="num">Within target</th><th scope="col" class="num">Resolution</th><th scope="col" class="num">Satisfaction (answers)</th></tr></thead>
                <tbody>{figures.agents.map((row) => <FiguresRow key={`${row.agent}/${row.team}`} label={row.agent} header="Agent" team={row.team} figures={row} />)}</tbody>
              </table>
              <table class="data" aria-label="Customer service per team">
                <thead><tr><th scope="col">Team</th><th scope="col" class="num">First response</th><th scope="col" class="num">Within target</th><th scope="col" class="num">Resolution</th><th scope="col" class="num">Satisfaction (answers)</th></tr></thead>
                <tbody>{figures.teams.map((row) => <FiguresRow key={row.team} label={words(row.team)} header="Team" figures={row} />)}</tbody>
              </table>
            </>
          )}
        </>
      )}
    </section>
  );
}
