import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../common/api';
import { Link } from '../common/router';
import { Loading, PageProblem } from '../common/ui';
import { PriceBreakdown, PriceSummary } from './quote-parts';
import { type QuoteView } from './quote-types';

/** One of my quotes as it was given: the price, what each factor did, and until when it holds. */
export function QuotePage(props: { api: Api; quoteId: string }) {
  const [quote, setQuote] = useState<QuoteView>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    document.title = 'Your quote · My claims';
    props.api.get<QuoteView>(`/quotes/${encodeURIComponent(props.quoteId)}`).then(setQuote, (e: unknown) => setProblem(e instanceof ApiError && e.status === 404 ? 'We cannot find this quote. It may belong to another account.' : messageOf(e)));
  }, [props.quoteId]);
  if (problem) return <PageProblem title="Quote not found" message={problem} back={{ href: '/quotes/new', label: 'Get a new quote' }} />;
  if (!quote) return <Loading what="your quote" />;
  return (
    <>
      <h1>Your quote</h1>
      <section class="card" aria-label={`Price of ${quote.product.name}`}>
        <PriceSummary quote={quote} />
      </section>
      <PriceBreakdown quote={quote} />
      <div class="actions">
        {quote.valid ? <Link href={`/quotes/${quote.id}/application`} class="button">Apply for this cover</Link> : null}
        <Link href="/quotes/new" class="button secondary">Get another quote</Link>
      </div>
    </>
  );
}
