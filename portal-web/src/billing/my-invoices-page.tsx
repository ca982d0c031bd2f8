import { useEffect, useState } from 'preact/hooks';
import { type Api, messageOf } from '../common/api';
import { date } from '../common/format';
import { Link } from '../common/router';
import { ErrorMessage, Loading } from '../common/ui';
import { cents } from '../quotes/quote-money';
import { INVOICE_STATUS_WORDS, type InvoiceSummary } from './invoice-types';

/** My premium invoices, the latest first: what each asks, when it is due and what is still open. */
export function MyInvoicesPage(props: { api: Api }) {
  const [items, setItems] = useState<readonly InvoiceSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    props.api.get<{ items: InvoiceSummary[] }>('/me/invoices').then((answer) => setItems(answer.items), (e: unknown) => setError(messageOf(e)));
  }, []);
  if (!items) return error ? <ErrorMessage error={error} /> : <Loading what="your invoices" />;
  return (
    <article aria-labelledby="invoices-title">
      <h1 id="invoices-title">My invoices</h1>
      {items.length === 0 ? (
        <p>You have no invoices yet.</p>
      ) : (
        <table class="data" aria-label="My invoices">
          <thead><tr><th scope="col">Invoice</th><th scope="col">Period</th><th scope="col">Due</th><th scope="col">State</th><th scope="col" class="num">Amount</th><th scope="col" class="num">To pay</th></tr></thead>
          <tbody>
            {items.map((invoice) => (
              <tr key={invoice.id}>
                <td data-label="Invoice"><Link href={`/invoices/${encodeURIComponent(invoice.id)}`}>{invoice.number}</Link></td>
                <td data-label="Period">{date(invoice.periodFrom)} – {date(invoice.periodTo)}</td>
                <td data-label="Due">{date(invoice.dueOn)}</td>
                <td data-label="State">{INVOICE_STATUS_WORDS[invoice.status]}</td>
                <td class="num" data-label="Amount">{cents(invoice.totalCents, invoice.currency)}</td>
                <td class="num" data-label="To pay">{cents(invoice.amountOpenCents, invoice.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
