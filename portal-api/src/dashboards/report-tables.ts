import { type ClaimsDashboard } from './claims-dashboard';

/** One table of the report, as both exports lay it out: the PDF and the workbook show the same cells. */
export interface ReportTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** A duration in the unit a person reads it in: minutes under an hour, hours under two days, then days (one decimal). */
export function duration(seconds: number): string {
  if (seconds < 3_600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 172_800) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** Integer cents shown as an amount, here at the edge only: 123456 -> "1,234.56". */
export function amount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  // Whole units without a float step: abs - abs % 100 is a multiple of 100, so the division is exact.
  const units = ((abs - (abs % 100)) / 100).toLocaleString('en-GB');
  return `${sign}${units}.${String(abs % 100).padStart(2, '0')}`;
}

function percent(share: number | null): string {
  return share === null ? 'n/a' : `${(share * 100).toFixed(1)}%`;
}

/** The report as tables, in the order a manager reads it. */
export function reportTables(report: ClaimsDashboard): ReportTable[] {
  return [
    {
      title: 'Scope',
      columns: ['Item', 'Value'],
      rows: [
        ['From', report.range.from],
        ['To', report.range.to],
        ['Route', report.filters.route ?? 'all'],
        ['Team', report.filters.team ?? 'all'],
        ['Generated at', report.generatedAt],
      ],
    },
    {
      title: 'Outcomes',
      columns: ['Outcome', 'Claims'],
      rows: [
        ['Paid', report.outcomes.paid],
        ['Nothing payable', report.outcomes.nothingPayable],
        ['Declined', report.outcomes.declined],
        ['Abandoned', report.outcomes.abandoned],
        ['Approval rate', percent(report.outcomes.approvalRate)],
        ['Decline rate', percent(report.outcomes.declineRate)],
        ['Fraud screened', report.fraud.screened],
        ['Fraud flagged', report.fraud.flagged],
        ['Fraud hit rate', percent(report.fraud.hitRate)],
        ['Open incidents', report.incidents.openClaims ?? 'unknown'],
      ],
    },
    {
      title: 'Turnaround (submission to decision)',
      columns: ['Route', 'Claims', 'p50', 'p90'],
      rows: report.turnaround.map((row) => [row.route ?? 'before routing', row.claims, duration(row.p50Seconds), duration(row.p90Seconds)]),
    },
    {
      title: 'Service levels',
      columns: ['Status', 'Task', 'Limit (hours)', 'Entered', 'Breached', 'Overdue now'],
      rows: report.serviceLevels.map((row) => [row.status, row.task, row.limitHours, row.entered, row.breached, row.overdueNow]),
    },
    {
      title: 'Workload and throughput',
      columns: ['Person', 'Team', 'Open tasks', 'Completed'],
      rows: report.people.map((row) => [row.adjuster, row.team, row.openTasks, row.completed]),
    },
    {
      title: 'Teams',
      columns: ['Team', 'Open tasks', 'Completed'],
      rows: report.teams.map((row) => [row.team, row.openTasks, row.completed]),
    },
    {
      title: 'Payouts paid',
      columns: ['Currency', 'Payouts', 'Amount'],
      rows: report.payouts.map((row) => [row.currency, row.count, amount(row.paidCents)]),
    },
  ];
}
