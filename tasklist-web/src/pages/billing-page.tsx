import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api, messageOf } from '@claims/portal-web/common/api';
import { date, dateTime, money as formatMoney } from '@claims/portal-web/common/format';
import { Link } from '@claims/portal-web/common/router';
import { ErrorMessage, Loading } from '@claims/portal-web/common/ui';

/** Who reads billing (the portal checks the same roles): the call center, managers and admins. */
export const BILLING_ROLES = ['call-center', 'manager', 'admin'];
/** Who asks for a manual adjustment; only managers decide those above the threshold. */
export const ADJUSTMENT_ROLES = ['call-center', 'manager'];

interface Adjustment {
  id: string;
  policyNumber: string;
  customerId: string;
  customerName: string;
  invoiceNumber: string | null;
  code: string;
  cents: number;
  currency: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'applied';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
}

interface ArrearsRow { policyId: string; policyNumber: string; customerId: string; customerName: string; currency: string; cents: number; oldestDueOn: string; invoices: number }

interface Invoice { id: string; number: string; periodFrom: string; periodTo: string; status: string; dueOn: string; totalCents: number; amountPaidCents: number; amountOpenCents: number; creditedCents: number }

interface CollectionCase {
  invoiceId: string;
  invoiceNumber: string;
  status: string;
  dueOn: string;
  graceEndsOn: string;
  lapsesOn: string;
  reinstatableUntil: string;
  lapsedFrom: string | null;
  reinstatedOn: string | null;
  writtenOffOn: string | null;
  attempts: { id: string; trigger: 'schedule' | 'pay-now'; attempt: number; at: string; cents: number; outcome: string; declineKind: 'soft' | 'hard' | null; declineCode: string | null; reason: string | null }[];
}

interface CustomerBilling {
  customer: { id: string; fullName: string };
  policies: {
    id: string;
    number: string;
    status: string;
    currency: string;
    invoices: Invoice[];
    payments: { id: string; invoiceNumber: string; cents: number; recordedAt: string }[];
    creditNotes: { id: string; number: string; reason: string; issuedOn: string; totalCents: number }[];
    refunds: { id: string; forNumber: string; cause: 'credit-note' | 'overpayment'; cents: number; status: 'pending' | 'paid' | 'cancelled'; sendAfter: string; paidAt: string | null }[];
    arrears: { cents: number; oldestDueOn: string | null };
    paymentMethod: { kind: 'sepa-direct-debit' | 'card'; label: string; mandateReference: string | null; since: string } | null;
    collections: CollectionCase[];
  }[];
  adjustments: Adjustment[];
  ledger: { receivableCents: number; refundsPayableCents: number };
}

interface Reconciliation {
  day: string;
  ok: boolean;
  checks: { check: string; description: string; ledgerCents: number; operationalCents: number; differenceCents: number; ok: boolean }[];
  unbalancedEntries: { idempotencyKey: string; kind: string; postings: number; differenceCents: number }[];
  runAt: string;
}

/** Integer cents in currency units, for display only. */
const cents = (value: number, currency = 'EUR') => formatMoney(value / 100, currency);
const signed = (value: number, currency = 'EUR') => `${value > 0 ? '+' : value < 0 ? '−' : ''} ${cents(Math.abs(value), currency)}`;
const problemText = (e: unknown) => (e instanceof ApiError && e.errors.length > 0 ? e.errors.map((f) => `${f.name} ${f.reason}`).join('; ') : messageOf(e));

/** The invoice PDF, fetched with the session's token and handed to the browser as a file. */
async function downloadInvoice(api: Api, invoice: { id: string; number: string }): Promise<void> {
  const url = URL.createObjectURL(await api.blob(`/billing/invoices/${encodeURIComponent(invoice.id)}/pdf`));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${invoice.number}.pdf`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Billing across customers: the arrears (oldest first, each leading to the
 * customer's billing), the approvals queue of adjustments above the
 * threshold (managers decide, never their own), and a day's reconciliation.
 */
export function BillingPage(props: { api: Api; username: string; decides: boolean }) {
  const [arrears, setArrears] = useState<ArrearsRow[]>();
  const [queue, setQueue] = useState<Adjustment[]>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const load = () => {
    props.api.get<ArrearsRow[]>('/billing/arrears').then(setArrears, (e: unknown) => setError(messageOf(e)));
    props.api.get<Adjustment[]>('/billing/adjustments?status=pending').then(setQueue, (e: unknown) => setError(messageOf(e)));
  };
  useEffect(load, []);
  const decide = async (adjustment: Adjustment, decision: 'approve' | 'reject') => {
    try {
      await props.api.post(`/billing/adjustments/${encodeURIComponent(adjustment.id)}/decision`, { decision });
      setNotice(`Adjustment of ${signed(adjustment.cents, adjustment.currency)} for ${adjustment.customerName} ${decision === 'approve' ? 'approved' : 'rejected'}.`);
      setError(undefined);
      load();
    } catch (e) {
      setError(problemText(e));
    }
  };
  return (
    <article aria-labelledby="billing-title">
      <h1 id="billing-title">Billing</h1>
      <ErrorMessage error={error} />
      {notice ? <p role="status">{notice}</p> : null}
      <section class="card" aria-labelledby="approvals-title">
        <h2 id="approvals-title">Adjustments waiting for approval</h2>
        {!queue ? <Loading what="the approvals" /> : queue.length === 0 ? <p>No adjustment is waiting.</p> : (
          <table class="data" aria-label="Adjustments waiting for approval">
            <thead><tr><th scope="col">Customer</th><th scope="col">Policy</th><th scope="col">Invoice</th><th scope="col" class="num">Amount</th><th scope="col">Why</th><th scope="col">Asked by</th><th scope="col"><span class="sr-only">Decision</span></th></tr></thead>
            <tbody>
              {queue.map((a) => (
                <tr key={a.id}>
                  <td data-label="Customer"><Link href={`/staff/billing/customers/${a.customerId}`}>{a.customerName}</Link></td>
                  <td data-label="Policy">{a.policyNumber}</td>
                  <td data-label="Invoice">{a.invoiceNumber ?? 'next invoice'}</td>
                  <td data-label="Amount" class="num">{signed(a.cents, a.currency)}</td>
                  <td data-label="Why">{a.reason}</td>
                  <td data-label="Asked by">{a.requestedBy}, {dateTime(a.requestedAt)}</td>
                  <td>
                    {!props.decides ? <span class="muted">A manager decides</span> : a.requestedBy === props.username ? <span class="muted">Yours: another manager decides</span> : (
                      <>
                        <button type="button" onClick={() => void decide(a, 'approve')} aria-label={`Approve ${signed(a.cents, a.currency)} for ${a.customerName}`}>Approve</button>{' '}
                        <button type="button" class="secondary" onClick={() => void decide(a, 'reject')} aria-label={`Reject ${signed(a.cents, a.currency)} for ${a.customerName}`}>Reject</button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card" aria-labelledby="arrears-title">
        <h2 id="arrears-title">Arrears</h2>
        {!arrears ? <Loading what="the arrears" /> : arrears.length === 0 ? <p>No invoice is past due.</p> : (
          <table class="data" aria-label="Policies in arrears">
            <thead><tr><th scope="col">Customer</th><th scope="col">Policy</th><th scope="col" class="num">Owed</th><th scope="col">Oldest due</th><th scope="col" class="num">Invoices</th></tr></thead>
            <tbody>
              {arrears.map((row) => (
                <tr key={row.policyId}>
                  <td data-label="Customer"><Link href={`/staff/billing/customers/${row.customerId}`}>{row.customerName}</Link></td>
                  <td data-label="Policy">{row.policyNumber}</td>
                  <td data-label="Owed" class="num">{cents(row.cents, row.currency)}</td>
                  <td data-label="Oldest due">{date(row.oldestDueOn)}</td>
                  <td data-label="Invoices" class="num">{row.invoices}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ReconciliationSection api={props.api} />
    </article>
  );
}

function ReconciliationSection(props: { api: Api }) {
  const [day, setDay] = useState(new Date(Date.now() - 86_400_000).toISOString().slice(0, 10));
  const [report, setReport] = useState<Reconciliation>();
  const [error, setError] = useState<string>();
  const load = (which: string) => props.api.get<Reconciliation>(`/billing/reconciliation?day=${encodeURIComponent(which)}`).then((r) => { setReport(r); setError(undefined); }, (e: unknown) => setError(problemText(e)));
  useEffect(() => void load(day), []);
  return (
    <section class="card" aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">Reconciliation</h2>
      <form onSubmit={(e) => { e.preventDefault(); void load(day); }}>
        <label>Day <input type="date" name="day" value={day} required onInput={(e) => setDay((e.currentTarget).value)} /></label>
        <button type="submit" class="secondary">Show the day</button>
      </form>
      <ErrorMessage error={error} />
      {report ? (
        <>
          <p data-testid="reconciliation-verdict"><strong>{report.ok ? 'The ledger agrees with the records.' : 'Differences found.'}</strong> <span class="muted">{date(report.day)}, run {dateTime(report.runAt)}</span></p>
          <table class="data" aria-label={`Reconciliation of ${report.day}`}>
            <thead><tr><th scope="col">Check</th><th scope="col" class="num">Ledger</th><th scope="col" class="num">Records</th><th scope="col" class="num">Difference</th></tr></thead>
            <tbody>
              {report.checks.map((c) => (
                <tr key={c.check}>
                  <td data-label="Check">{c.check}<br /><span class="muted">{c.description}</span></td>
                  <td data-label="Ledger" class="num">{cents(c.ledgerCents)}</td>
                  <td data-label="Records" class="num">{cents(c.operationalCents)}</td>
                  <td data-label="Difference" class="num">{c.ok ? 'none' : <strong>{signed(c.differenceCents)}</strong>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.unbalancedEntries.length > 0 ? <p role="alert">Unbalanced entries: {report.unbalancedEntries.map((e) => `${e.idempotencyKey} (${e.kind}, off by ${signed(e.differenceCents)})`).join(', ')}</p> : null}
        </>
      ) : null}
    </section>
  );
}

/**
 * One customer's billing: per policy the invoices (each as PDF), payments,
 * credit notes, refunds and arrears; the customer's ledger balance; their
 * adjustments, and for the call center and managers the adjustment form.
 */
export function CustomerBillingPage(props: { api: Api; customerId: string; requests: boolean }) {
  const [billing, setBilling] = useState<CustomerBilling>();
  const [error, setError] = useState<string>();
  const path = `/billing/customers/${encodeURIComponent(props.customerId)}`;
  const load = () => props.api.get<CustomerBilling>(path).then(setBilling, (e: unknown) => setError(messageOf(e)));
  useEffect(() => void load(), [path]);
  if (!billing) return error ? <ErrorMessage error={error} /> : <Loading what="the billing" />;
  const currency = billing.policies[0]?.currency ?? 'EUR';
  return (
    <article aria-labelledby="customer-billing-title">
      <p><Link href="/staff/billing">← Billing</Link></p>
      <h1 id="customer-billing-title">Billing of {billing.customer.fullName}</h1>
      <ErrorMessage error={error} />
      <p data-testid="ledger-balance">Ledger: owes <strong>{cents(billing.ledger.receivableCents, currency)}</strong> · owed to the customer <strong>{cents(billing.ledger.refundsPayableCents, currency)}</strong></p>
      {billing.policies.map((policy) => (
        <section class="card" key={policy.id} aria-labelledby={`policy-${policy.id}`}>
          <h2 id={`policy-${policy.id}`}>Policy {policy.number} <span class="muted">· {policy.status}</span></h2>
          <p>{policy.arrears.cents > 0 ? <>In arrears: <strong>{cents(policy.arrears.cents, policy.currency)}</strong> since {date(policy.arrears.oldestDueOn)}</> : 'No arrears.'}</p>
          <p data-testid={`payment-method-${policy.number}`}>{policy.paymentMethod ? <>Pays by {policy.paymentMethod.label}{policy.paymentMethod.mandateReference ? <>, mandate {policy.paymentMethod.mandateReference}</> : null}, since {dateTime(policy.paymentMethod.since)}</> : 'No payment method chosen: invoices wait for the client to pay.'}</p>
          <table class="data" aria-label={`Invoices of ${policy.number}`}>
            <thead><tr><th scope="col">Invoice</th><th scope="col">Period</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col" class="num">Total</th><th scope="col" class="num">Paid</th><th scope="col" class="num">Open</th><th scope="col"><span class="sr-only">PDF</span></th></tr></thead>
            <tbody>
              {policy.invoices.map((i) => (
                <tr key={i.id}>
                  <td data-label="Invoice">{i.number}</td>
                  <td data-label="Period">{date(i.periodFrom)} to {date(i.periodTo)}</td>
                  <td data-label="Due">{date(i.dueOn)}</td>
                  <td data-label="Status">{i.status}</td>
                  <td data-label="Total" class="num">{cents(i.totalCents, policy.currency)}</td>
                  <td data-label="Paid" class="num">{cents(i.amountPaidCents, policy.currency)}</td>
                  <td data-label="Open" class="num">{cents(i.amountOpenCents, policy.currency)}</td>
                  <td><button type="button" class="secondary" onClick={() => void downloadInvoice(props.api, i).catch((e: unknown) => setError(messageOf(e)))} aria-label={`PDF of ${i.number}`}>PDF</button></td>
                </tr>
              ))}
            </tbody>
          </table>
          {policy.collections.length > 0 ? <CollectionCases policy={policy} /> : null}
          {policy.payments.length > 0 ? <><h3>Payments</h3><ul>{policy.payments.map((p) => <li key={p.id}>{cents(p.cents, policy.currency)} on {p.invoiceNumber}, {dateTime(p.recordedAt)}</li>)}</ul></> : null}
          {policy.creditNotes.length > 0 ? <><h3>Credit notes</h3><ul>{policy.creditNotes.map((n) => <li key={n.id}>{n.number} ({n.reason}), {date(n.issuedOn)}: {cents(n.totalCents, policy.currency)}</li>)}</ul></> : null}
          {policy.refunds.length > 0 ? <><h3>Refunds</h3><ul>{policy.refunds.map((r) => <li key={r.id}>{cents(r.cents, policy.currency)} {r.cause === 'overpayment' ? `paid over ${r.forNumber}` : `for ${r.forNumber}`}: {refundState(r)}</li>)}</ul></> : null}
        </section>
      ))}
      <section class="card" aria-labelledby="adjustments-title">
        <h2 id="adjustments-title">Adjustments</h2>
        {billing.adjustments.length === 0 ? <p>No adjustment.</p> : (
          <ul>{billing.adjustments.map((a) => <li key={a.id}>{signed(a.cents, a.currency)} on {a.invoiceNumber ?? 'the next invoice'} ({a.policyNumber}): {a.status}. {a.reason}. Asked by {a.requestedBy}{a.decidedBy ? `, decided by ${a.decidedBy}` : ''}.</li>)}</ul>
        )}
      </section>
      {props.requests && billing.policies.length > 0 ? <AdjustmentForm api={props.api} billing={billing} onDone={() => void load()} /> : null}
    </article>
  );
}

/** A refund's state in words: paid when, held until the debit can no longer come back, cancelled by a return, or waiting for the next payout pass. */
function refundState(r: CustomerBilling['policies'][number]['refunds'][number]): string {
  if (r.status === 'paid') return `paid ${dateTime(r.paidAt)}`;
  if (r.status === 'cancelled') return 'cancelled: the bank returned the debit';
  return Date.parse(r.sendAfter) > Date.now() ? `held until ${date(r.sendAfter)} (the debit can still be returned)` : 'to be paid';
}

const CASE_STATUS: Readonly<Record<string, string>> = { collecting: 'Collecting', paid: 'Paid', overdue: 'Payment failed', lapsed: 'Lapsed', reinstated: 'Reinstated', 'written-off': 'Written off' };

/**
 * The collection of each invoice as a caller asks about it: where the case
 * stands, the dates that follow (grace, lapse, the window to reinstate) and
 * every charge tried, with the reason the client was given.
 */
function CollectionCases(props: { policy: CustomerBilling['policies'][number] }) {
  const { policy } = props;
  return (
    <>
      <h3>Collections</h3>
      <table class="data" aria-label={`Collections of ${policy.number}`}>
        <thead><tr><th scope="col">Invoice</th><th scope="col">State</th><th scope="col">Dates</th><th scope="col">Charges</th></tr></thead>
        <tbody>
          {policy.collections.map((c) => (
            <tr key={c.invoiceId}>
              <td data-label="Invoice">{c.invoiceNumber}</td>
              <td data-label="State">{CASE_STATUS[c.status] ?? c.status}{c.lapsedFrom ? `, lapsed from ${date(c.lapsedFrom)}` : ''}{c.reinstatedOn ? `, active again from ${date(c.reinstatedOn)}` : ''}{c.writtenOffOn ? `, on ${date(c.writtenOffOn)}` : ''}</td>
              <td data-label="Dates">Due {date(c.dueOn)} · grace to {date(c.graceEndsOn)} · lapses {date(c.lapsesOn)} · reinstatable to {date(c.reinstatableUntil)}</td>
              <td data-label="Charges">
                {c.attempts.length === 0 ? 'None yet' : (
                  <ul class="charges">
                    {c.attempts.map((a) => (
                      <li key={a.id}>{dateTime(a.at)}: {a.trigger === 'pay-now' ? 'Pay now' : `attempt ${a.attempt}`}, {cents(a.cents, policy.currency)}, {a.outcome}{a.declineKind ? ` (${a.declineKind} decline${a.declineCode ? ` ${a.declineCode}` : ''}: ${a.reason ?? 'no reason given'})` : ''}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** A signed amount on an open invoice or the next one, with the reason; the portal says whether it applied or waits for approval. */
function AdjustmentForm(props: { api: Api; billing: CustomerBilling; onDone: () => void }) {
  const [policyId, setPolicyId] = useState(props.billing.policies[0]!.id);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  // One key per adjustment asked: a resend after a lost answer is the same request; a new one after success.
  const [key, setKey] = useState(() => crypto.randomUUID());
  const policy = props.billing.policies.find((p) => p.id === policyId)!;
  const open = policy.invoices.filter((i) => i.status === 'open');
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const amount = Math.round(Number(field('amount')) * 100) * (field('direction') === 'lower' ? -1 : 1);
    setBusy(true);
    try {
      const made = await props.api.post<Adjustment>('/billing/adjustments', { policyId, ...(field('invoiceId') ? { invoiceId: field('invoiceId') } : {}), cents: amount, reason: field('reason') }, { 'Idempotency-Key': key });
      setKey(crypto.randomUUID());
      setNotice(made.status === 'pending' ? `Asked: ${signed(made.cents, made.currency)} waits for a manager's approval.` : made.status === 'applied' ? `Applied: ${signed(made.cents, made.currency)} on ${made.invoiceNumber}.` : `Recorded: ${signed(made.cents, made.currency)} goes on the next invoice.`);
      setError(undefined);
      (event.currentTarget as HTMLFormElement | null)?.reset();
      props.onDone();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" aria-labelledby="adjust-title" onSubmit={(e) => void submit(e)}>
      <h2 id="adjust-title">Manual adjustment</h2>
      <ErrorMessage error={error} />
      {notice ? <p role="status">{notice}</p> : null}
      <label>Policy <select name="policyId" value={policyId} onChange={(e) => setPolicyId((e.currentTarget).value)}>{props.billing.policies.map((p) => <option key={p.id} value={p.id}>{p.number}</option>)}</select></label>
      <label>Which invoice <select name="invoiceId"><option value="">The next invoice</option>{open.map((i) => <option key={i.id} value={i.id}>{i.number} ({cents(i.amountOpenCents, policy.currency)} open)</option>)}</select></label>
      <fieldset>
        <legend>The client owes</legend>
        <label><input type="radio" name="direction" value="lower" defaultChecked /> less</label>
        <label><input type="radio" name="direction" value="raise" /> more</label>
      </fieldset>
      <label>Amount ({policy.currency}) <input name="amount" type="number" min="0.01" step="0.01" required /></label>
      <label>Why (for the file and the approver) <input name="reason" required maxLength={500} /></label>
      <button type="submit" disabled={busy}>Ask for the adjustment</button>
    </form>
  );
}
