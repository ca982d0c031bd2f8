import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { date, dateTime, money, words } from '@claims/portal-web/common/format';
import { navigate } from '@claims/portal-web/common/router';
import { useLoaded } from '@claims/portal-web/common/use-loaded';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';
import { AgentFiguresSection } from './agent-figures-section';
import { BarChart } from './dashboard-charts';

/** Who reads the dashboard (the portal checks the same roles): managers, who approve payments, and admins. */
export const DASHBOARD_ROLES = ['manager', 'admin'];

const ROUTES = ['straight-through', 'review', 'investigation'];
const TEAMS = ['adjuster', 'investigator', 'manager', 'call-center'];
/** The filters `GET /api/dashboards/claims` takes, kept in the page's URL (shareable, Back works). */
const FILTERS = ['from', 'to', 'route', 'team'] as const;

interface ClaimsDashboard {
  readonly range: { from: string; to: string };
  readonly filters: { route: string | null; team: string | null };
  readonly generatedAt: string;
  readonly turnaround: readonly { route: string | null; claims: number; p50Seconds: number; p90Seconds: number }[];
  readonly outcomes: { paid: number; nothingPayable: number; declined: number; abandoned: number; decided: number; approvalRate: number | null; declineRate: number | null };
  readonly serviceLevels: readonly { status: string; task: string; limitHours: number; entered: number; breached: number; overdueNow: number }[];
  readonly people: readonly { adjuster: string; team: string; openTasks: number; completed: number }[];
  readonly teams: readonly { team: string; openTasks: number; completed: number }[];
  readonly fraud: { screened: number; flagged: number; investigated: number; hitRate: number | null };
  readonly incidents: { openClaims: number | null };
  readonly payouts: readonly { currency: string; count: number; paidCents: number }[];
}

/** As the exports write it (portal-api report-tables.ts): minutes under an hour, hours under two days, then days. */
function duration(seconds: number): string {
  if (seconds < 3_600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}
/** The chart's unit, chosen as the table's is, from the longest bar, so seconds-long turnarounds do not draw as nothing. */
function chartUnit(longestSeconds: number): { name: string; seconds: number } {
  if (longestSeconds < 3_600) return { name: 'minutes', seconds: 60 };
  if (longestSeconds < 172_800) return { name: 'hours', seconds: 3_600 };
  return { name: 'days', seconds: 86_400 };
}
const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const routeName = (route: string | null) => (route ? words(route) : 'Before routing');
/** What the report was narrowed to, as the page states it beside the range. */
const scope = (filters: ClaimsDashboard['filters']) => [filters.route && `${words(filters.route).toLowerCase()} route only`, filters.team && `${words(filters.team).toLowerCase()} team only`].filter(Boolean).map((part) => `, ${part}`).join('');

/**
 * How the claims department is doing over a range of days: turnaround by
 * route, outcomes, service-level breaches, workload and throughput per person
 * and team, fraud hits, open incidents. Each chart has its table beside it;
 * the same report downloads as PDF and Excel.
 */
export function DashboardPage(props: { api: Api; query: URLSearchParams }) {
  const filters = Object.fromEntries(FILTERS.map((key): [string, string] => [key, props.query.get(key) ?? '']).filter(([, value]) => value));
  const search = new URLSearchParams(filters).toString();
  const loaded = useLoaded(() => props.api.get<ClaimsDashboard>(`/dashboards/claims${search ? `?${search}` : ''}`), search);
  const report = loaded.value;
  const [downloadError, setDownloadError] = useState<string>();
  const error = downloadError ?? loaded.error;
  const [downloading, setDownloading] = useState<string>();

  useEffect(() => {
    document.title = 'Dashboard · Claims staff';
  }, []);

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const next = new URLSearchParams(FILTERS.map((key): [string, string] => [key, String((form.get(key) as string | null) ?? '').trim()]).filter(([, value]) => value));
    navigate(`/staff/dashboard?${next.toString()}`, { replace: false });
  };

  /** The export is fetched with the session's token, then handed to the browser as a file. */
  const download = async (extension: 'pdf' | 'xlsx') => {
    setDownloading(extension);
    try {
      const blob = await props.api.blob(`/dashboards/claims.${extension}${search ? `?${search}` : ''}`);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `claims-report-${report?.range.from ?? 'range'}-to-${report?.range.to ?? 'range'}.${extension}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDownloadError(undefined);
    } catch (e) {
      setDownloadError(messageOf(e));
    } finally {
      setDownloading(undefined);
    }
  };

  return (
    <>
      <h1>Dashboard</h1>
      <form class="card filters dashboard-filters" aria-label="Report range and filters" onSubmit={apply} key={search}>
        <label>From<input name="from" type="date" defaultValue={filters.from ?? report?.range.from} /></label>
        <label>To<input name="to" type="date" defaultValue={filters.to ?? report?.range.to} /></label>
        <label>Route
          <select name="route" defaultValue={filters.route ?? ''}>
            <option value="">all</option>
            {ROUTES.map((route) => <option key={route} value={route}>{words(route)}</option>)}
          </select>
        </label>
        <label>Team
          <select name="team" defaultValue={filters.team ?? ''}>
            <option value="">all</option>
            {TEAMS.map((team) => <option key={team} value={team}>{words(team)}</option>)}
          </select>
        </label>
        <button type="submit">Show</button>
        <button type="button" class="secondary" disabled={!report || downloading !== undefined} onClick={() => void download('pdf')}>{downloading === 'pdf' ? 'Preparing PDF…' : 'Download PDF'}</button>
        <button type="button" class="secondary" disabled={!report || downloading !== undefined} onClick={() => void download('xlsx')}>{downloading === 'xlsx' ? 'Preparing Excel…' : 'Download Excel'}</button>
      </form>
      <ErrorMessage error={error} />
      {!report ? (error ? null : <Loading what="the report" />) : <Report report={report} />}
      <AgentFiguresSection api={props.api} search={search} />
    </>
  );
}

function Report({ report }: { report: ClaimsDashboard }) {
  const { outcomes, fraud } = report;
  return (
    <>
      <p class="muted" data-testid="report-range">From {date(report.range.from)} to {date(report.range.to)} (days included){scope(report.filters)}, as of {dateTime(report.generatedAt)}.</p>
      <section aria-labelledby="figures-title">
        <h2 id="figures-title">Key figures</h2>
        <dl class="figures" data-testid="key-figures">
          <div><dt>Decided</dt><dd>{outcomes.decided}</dd></div>
          <div><dt>Approval rate</dt><dd>{percent(outcomes.approvalRate)}</dd></div>
          <div><dt>Decline rate</dt><dd>{percent(outcomes.declineRate)}</dd></div>
          <div><dt>Fraud hit rate</dt><dd>{percent(fraud.hitRate)} <span class="muted">({fraud.flagged} of {fraud.screened} screened)</span></dd></div>
          <div><dt>Open incidents</dt><dd>{report.incidents.openClaims ?? 'not known'}</dd></div>
          <div><dt>Assessments overdue now</dt><dd>{report.serviceLevels.reduce((sum, level) => sum + level.overdueNow, 0)}</dd></div>
          {report.payouts.map((payout) => <div key={payout.currency}><dt>Paid out ({payout.currency})</dt><dd>{money(payout.paidCents / 100, payout.currency)}</dd></div>)}
        </dl>
      </section>

      <section aria-labelledby="turnaround-title">
        <h2 id="turnaround-title">Turnaround by route</h2>
        <p class="muted">From submission to the decision (paid, nothing payable or declined), for claims decided in the range.</p>
        {report.turnaround.length === 0 ? <p>No claim was decided in this range.</p> : (
          <>
            <TurnaroundChart rows={report.turnaround} />
            <table class="data" aria-label="Turnaround by route">
              <thead><tr><th scope="col">Route</th><th scope="col" class="num">Claims</th><th scope="col" class="num">p50</th><th scope="col" class="num">p90</th></tr></thead>
              <tbody>{report.turnaround.map((row) => (
                <tr key={row.route ?? 'none'}><td data-label="Route">{routeName(row.route)}</td><td data-label="Claims" class="num">{row.claims}</td><td data-label="p50" class="num">{duration(row.p50Seconds)}</td><td data-label="p90" class="num">{duration(row.p90Seconds)}</td></tr>
              ))}</tbody>
            </table>
          </>
        )}
      </section>

      <section aria-labelledby="outcomes-title">
        <h2 id="outcomes-title">Outcomes</h2>
        <BarChart label="Claims closed in the range by outcome" horizontal categories={['Paid', 'Nothing payable', 'Declined', 'Abandoned']} series={[{ label: 'Claims', values: [outcomes.paid, outcomes.nothingPayable, outcomes.declined, outcomes.abandoned] }]} />
        <table class="data" aria-label="Outcomes">
          <thead><tr><th scope="col">Outcome</th><th scope="col" class="num">Claims</th></tr></thead>
          <tbody>
            <tr><td data-label="Outcome">Paid</td><td data-label="Claims" class="num">{outcomes.paid}</td></tr>
            <tr><td data-label="Outcome">Nothing payable</td><td data-label="Claims" class="num">{outcomes.nothingPayable}</td></tr>
            <tr><td data-label="Outcome">Declined</td><td data-label="Claims" class="num">{outcomes.declined}</td></tr>
            <tr><td data-label="Outcome">Abandoned</td><td data-label="Claims" class="num">{outcomes.abandoned}</td></tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="levels-title">
        <h2 id="levels-title">Service levels</h2>
        <p class="muted">A stay longer than the task is due (the due dates the claim process sets) is a breach; “overdue now” are still waiting.</p>
        <table class="data" aria-label="Service levels">
          <thead><tr><th scope="col">Status</th><th scope="col" class="num">Limit (hours)</th><th scope="col" class="num">Entered</th><th scope="col" class="num">Breached</th><th scope="col" class="num">Overdue now</th></tr></thead>
          <tbody>{report.serviceLevels.map((level) => (
            <tr key={level.status}><td data-label="Status">{words(level.status)}</td><td data-label="Limit (hours)" class="num">{level.limitHours}</td><td data-label="Entered" class="num">{level.entered}</td><td data-label="Breached" class="num">{level.breached}</td><td data-label="Overdue now" class="num">{level.overdueNow}</td></tr>
          ))}</tbody>
        </table>
      </section>

      <section aria-labelledby="people-title">
        <h2 id="people-title">Workload and throughput</h2>
        <p class="muted">Open: tasks claimed and not completed yet. Completed: in the range.</p>
        {report.people.length === 0 ? <p>No task was claimed or completed through the staff app.</p> : (
          <>
            <BarChart label="Open and completed tasks per person" horizontal categories={report.people.map((row) => `${row.adjuster} (${row.team})`)} series={[{ label: 'Open', values: report.people.map((row) => row.openTasks) }, { label: 'Completed', values: report.people.map((row) => row.completed) }]} />
            <table class="data" aria-label="Workload and throughput per person">
              <thead><tr><th scope="col">Person</th><th scope="col">Team</th><th scope="col" class="num">Open</th><th scope="col" class="num">Completed</th></tr></thead>
              <tbody>{report.people.map((row) => (
                <tr key={`${row.adjuster}/${row.team}`}><td data-label="Person">{row.adjuster}</td><td data-label="Team">{words(row.team)}</td><td data-label="Open" class="num">{row.openTasks}</td><td data-label="Completed" class="num">{row.completed}</td></tr>
              ))}</tbody>
            </table>
            <table class="data" aria-label="Workload and throughput per team">
              <thead><tr><th scope="col">Team</th><th scope="col" class="num">Open</th><th scope="col" class="num">Completed</th></tr></thead>
              <tbody>{report.teams.map((row) => (
                <tr key={row.team}><td data-label="Team">{words(row.team)}</td><td data-label="Open" class="num">{row.openTasks}</td><td data-label="Completed" class="num">{row.completed}</td></tr>
              ))}</tbody>
            </table>
          </>
        )}
      </section>
    </>
  );
}

function TurnaroundChart({ rows }: { rows: ClaimsDashboard['turnaround'] }) {
  const unit = chartUnit(Math.max(...rows.map((row) => row.p90Seconds)));
  const inUnit = (seconds: number) => Math.round((seconds / unit.seconds) * 100) / 100;
  return (
    <BarChart
      label={`Turnaround in ${unit.name} by route, median and 90th percentile`}
      unit={unit.name}
      categories={rows.map((row) => routeName(row.route))}
      series={[{ label: 'Median (p50)', values: rows.map((row) => inUnit(row.p50Seconds)) }, { label: '90th percentile (p90)', values: rows.map((row) => inUnit(row.p90Seconds)) }]}
    />
  );
}
