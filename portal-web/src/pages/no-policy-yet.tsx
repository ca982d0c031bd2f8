import { useEffect, useState } from 'preact/hooks';
import { type Api } from '../common/api';
import { date } from '../common/format';
import { Link } from '../common/router';
import { STATUS_WORDS, type ApplicationView } from '../applications/application-types';
import { cents } from '../quotes/quote-money';
import { type QuoteView } from '../quotes/quote-types';

/**
 * The home page of a client with no policy (a new client, or one whose
 * policies all ended): where to start, and the quotes and applications they
 * already have, so a prospect follows their application from the first page.
 */
export function NoPolicyYet(props: { api: Api }) {
  const [quotes, setQuotes] = useState<QuoteView[]>([]);
  const [applications, setApplications] = useState<ApplicationView[]>([]);
  useEffect(() => {
    // Lists are a convenience here: their own pages show any error.
    props.api.get<{ items: QuoteView[] }>('/quotes').then((r) => setQuotes(r.items), () => undefined);
    props.api.get<{ items: ApplicationView[] }>('/applications').then((r) => setApplications(r.items), () => undefined);
  }, []);
  return (
    <section class="card notice" aria-labelledby="no-policy-title">
      <h2 id="no-policy-title">You have no policy yet</h2>
      <p>Get a price for the cover you need, then apply from the quote.</p>
      <div class="actions"><Link href="/quotes/new" class="button">Get a quote</Link></div>
      {applications.length > 0 ? (
        <section aria-labelledby="home-applications-title">
          <h3 id="home-applications-title">Your applications</h3>
          <ul class="claims-list">
            {applications.map((a) => (
              <li key={a.id}><Link href={`/applications/${a.id}`}>{a.reference}: {a.product.name}</Link><span>{STATUS_WORDS[a.status]}</span><span class="muted">{date(a.createdAt)}</span></li>
            ))}
          </ul>
        </section>
      ) : null}
      {quotes.length > 0 ? (
        <section aria-labelledby="home-quotes-title">
          <h3 id="home-quotes-title">Your quotes</h3>
          <ul class="claims-list">
            {quotes.slice(0, 10).map((q) => (
              <li key={q.id}>
                <Link href={`/quotes/${q.id}`}>{q.product.name}, {date(q.createdAt)}</Link>
                <span>{cents(q.yearlyPremiumCents, q.currency)} a year</span>
                <span class="muted">{q.valid ? `holds until ${date(q.validUntil)}` : 'expired'}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
