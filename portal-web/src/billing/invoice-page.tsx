import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiError, messageOf } from '../common/api';
import { date } from '../common/format';
import { Link } from '../common/router';
import { ErrorMessage, Loading } from '../common/ui';
import { cents } from '../quotes/quote-money';
import { COLLECTION_STATUS_WORDS, type CollectionView, type InvoiceLine, type InvoiceSummary, methodWords } from './invoice-types';
import { PaymentMethodForm } from './payment-method-form';

const POLL_MS = 1_000;
const POLLS = 60;

/** A list of dates in words: "3 Dec 2026, 5 Dec 2026 and 9 Dec 2026". */
function dates(list: readonly string[]): string {
  const words = list.map(date);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

/**
 * One invoice of mine: its lines, where its collection stands, "Pay now",
 * changing the payment method, and in plain words what happens if a payment
 * fails, with this invoice's own dates.
 */
export function InvoicePage(props: { api: Api; invoiceId: string }) {
  const path = `/me/invoices/${encodeURIComponent(props.invoiceId)}`;
  const [invoice, setInvoice] = useState<InvoiceSummary & { lines: InvoiceLine[] }>();
  const [collection, setCollection] = useState<CollectionView>();
  const [error, setError] = useState<string>();
  const [paying, setPaying] = useState(false);
  const [changing, setChanging] = useState(false);
  const [notice, setNotice] = useState<string>();

  const reload = async () => {
    const [read, view] = await Promise.all([props.api.get<InvoiceSummary & { lines: InvoiceLine[] }>(path), props.api.get<CollectionView>(`${path}/collection`)]);
    setInvoice(read);
    setCollection(view);
    return view;
  };
  useEffect(() => {
    reload().catch((e: unknown) => setError(messageOf(e)));
  }, [path]);

  if (!invoice || !collection) return error ? <ErrorMessage error={error} /> : <Loading what="your invoice" />;

  const payNow = async () => {
    setPaying(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await props.api.post(`${path}/payment`);
      let view = await reload();
      for (let i = 0; i < POLLS && view.paymentInProgress; i++) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        view = await reload();
      }
      const last = view.attempts.at(-1);
      if (view.paymentInProgress) setNotice('Your payment is still being processed. This page shows the result when it arrives.');
      else if (last?.outcome === 'declined') setError(`Your payment failed: ${last.reason ?? 'it was declined.'}`);
      else setNotice(`Thank you: ${cents(last?.amountCents ?? 0, view.currency)} paid.`);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? e.detail : messageOf(e));
    } finally {
      setPaying(false);
    }
  };

  const lastDecline = [...collection.attempts].reverse().find((a) => a.outcome === 'declined');
  const failed = collection.status === 'overdue' || collection.status === 'lapsed';
  const amount = cents(collection.openCents > 0 ? collection.openCents : collection.totalCents, collection.currency);
  return (
    <article aria-labelledby="invoice-title">
      <p><Link href="/invoices">← My invoices</Link></p>
      <h1 id="invoice-title">Invoice {invoice.number}</h1>
      <p><strong data-testid="collection-state">{COLLECTION_STATUS_WORDS[collection.status]}</strong> · {date(invoice.periodFrom)} to {date(invoice.periodTo)} · due {date(invoice.dueOn)}</p>
      <p>Amount {cents(invoice.totalCents, invoice.currency)} · <strong data-testid="amount-open">to pay {cents(collection.openCents, collection.currency)}</strong></p>
      <ErrorMessage error={error} />
      {notice ? <p class="notice" role="status">{notice}</p> : null}
      {failed ? (
        <section class="card" aria-labelledby="todo-title" data-testid="what-to-do">
          <h2 id="todo-title">What to do now</h2>
          <p>{lastDecline?.reason ?? 'We could not collect this invoice.'}</p>
          {collection.status === 'lapsed' ? (
            <p>Your policy lapsed on {date(collection.lapsesOn)}: care from that day is not covered. Pay {amount} by {date(collection.reinstatableUntil)} and your cover is back from the day you pay.</p>
          ) : (
            <p>Pay {amount} by {date(collection.graceEndsOn)} to keep your cover: use “Pay now”, after changing your payment method if you need to.</p>
          )}
        </section>
      ) : null}
      <section class="card" aria-labelledby="pay-title">
        <h2 id="pay-title">Payment</h2>
        <p>Paid with: <span data-testid="payment-method">{methodWords(collection.paymentMethod)}</span></p>
        <div class="actions">
          {collection.canPayNow ? <button type="button" disabled={paying || collection.paymentInProgress || !collection.paymentMethod} onClick={() => void payNow()}>{paying ? 'Paying…' : `Pay now ${amount}`}</button> : null}
          <button type="button" class="secondary" aria-expanded={changing} aria-controls="payment-method-form" onClick={() => setChanging(!changing)}>Change payment method</button>
        </div>
        {changing ? (
          <PaymentMethodForm
            api={props.api}
            policyId={collection.policyId}
            onSaved={(method) => {
              // Shown at once; the reload then brings the rest of the case.
              setCollection({ ...collection, paymentMethod: method });
              setChanging(false);
              setNotice(`From now on we collect with: ${methodWords(method)}.`);
              void reload();
            }}
          />
        ) : null}
        {collection.attempts.length > 0 ? (
          <table class="data" aria-label="Payment attempts">
            <thead><tr><th scope="col">When</th><th scope="col" class="num">Amount</th><th scope="col">Result</th></tr></thead>
            <tbody>
              {collection.attempts.map((a) => (
                <tr key={a.id}>
                  <td data-label="When">{date(a.at)}{a.trigger === 'pay-now' ? ' (you paid now)' : ''}</td>
                  <td class="num" data-label="Amount">{cents(a.amountCents, collection.currency)}</td>
                  <td data-label="Result">{a.outcome === 'declined' ? `Failed: ${a.reason ?? a.declineKind}` : a.outcome === 'pending' ? 'In progress' : a.outcome === 'submitted' ? 'Direct debit sent to your bank' : 'Paid'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <section class="card" aria-labelledby="if-fails-title">
        <h2 id="if-fails-title">What happens if a payment fails</h2>
        <ol data-testid="if-payment-fails">
          <li>We collect {amount} on {date(collection.dueOn)} from your payment method.</li>
          {collection.retryOn.length > 0 ? <li>If your bank or card issuer refuses it for a reason that may pass (not enough money on the account, for example), we try again on {dates(collection.retryOn)}.</li> : null}
          <li>If it fails for good, or the last try fails, we send you an email and a text message, and remind you once more on {date(collection.lastReminderOn)}. You can then pay with “Pay now” or change your payment method here.</li>
          <li>Pay by {date(collection.graceEndsOn)} and nothing changes for your cover.</li>
          <li>If it is still unpaid, your policy lapses on {date(collection.lapsesOn)}: care from that day is not covered.</li>
          <li>Pay by {date(collection.reinstatableUntil)} and we reinstate your cover from the day you pay; care between the lapse and that day stays uncovered. After that the invoice is closed unpaid and the policy stays lapsed.</li>
        </ol>
      </section>
      <section class="card" aria-labelledby="lines-title">
        <h2 id="lines-title">Lines</h2>
        <table class="data" aria-label="Invoice lines">
          <thead><tr><th scope="col">Line</th><th scope="col">Period</th><th scope="col" class="num">Amount</th></tr></thead>
          <tbody>
            {invoice.lines.map((line) => (
              <tr key={line.position}>
                <td data-label="Line">{line.kind.replace(/-/g, ' ')}{line.code ? ` (${line.code})` : ''}</td>
                <td data-label="Period">{date(line.periodFrom)} – {date(line.periodTo)}</td>
                <td class="num" data-label="Amount">{cents(line.cents, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
