import { date } from '../common/format';
import { cents, change, factor } from './quote-money';
import { FREQUENCIES, REGIONS, STEP_NAMES, type ComparisonView, type QuoteView } from './quote-types';

const per = (quote: QuoteView) => FREQUENCIES.find((f) => f.code === quote.paymentFrequency)?.per ?? quote.paymentFrequency;
const regionName = (code: string) => REGIONS.find((r) => r.code === code)?.label ?? code;

/** The price in one line, then what it is for and until when it holds. */
export function PriceSummary(props: { quote: QuoteView; headingLevel?: 2 | 3 }) {
  const { quote } = props;
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <div class="price-summary">
      <Heading>{quote.product.name}</Heading>
      <p class="price"><strong>{cents(quote.periodPremiumCents, quote.currency)}</strong> {per(quote)}</p>
      {quote.periodsPerYear > 1 ? <p>{cents(quote.yearlyPremiumCents, quote.currency)} a year in {quote.periodsPerYear} payments</p> : null}
      <p class="muted">
        {quote.valid ? `This price holds until ${date(quote.validUntil)}` : `This price held until ${date(quote.validUntil)}; ask for a new quote`} · cover from {date(quote.startsOn)} ·{' '}
        {quote.insured.length === 1 ? '1 person' : `${quote.insured.length} people`} · {regionName(quote.region)} · {quote.deductibleCents === 0 ? 'no deductible' : `deductible ${cents(quote.deductibleCents, quote.currency)} a year`}
      </p>
    </div>
  );
}

/** Which factor did what: each step's change and the yearly price after it. */
export function PriceBreakdown(props: { quote: QuoteView; caption?: string }) {
  const { quote } = props;
  return (
    <table class="data breakdown">
      <caption>{props.caption ?? 'How your yearly price is made'}</caption>
      <thead><tr><th scope="col">Factor</th><th scope="col">Why</th><th scope="col" class="num">Change</th><th scope="col" class="num">Yearly price after it</th></tr></thead>
      <tbody>
        {quote.breakdown.map((step) => (
          <tr key={step.factor}>
            <th scope="row" data-label="Factor">{STEP_NAMES[step.factor]}</th>
            <td data-label="Why">{step.label}{step.permille !== null && step.factor !== 'base' ? <span class="muted factor"> ({factor(step.permille)})</span> : null}</td>
            <td class="num" data-label="Change">{step.factor === 'base' ? cents(step.changeCents, quote.currency) : change(step.changeCents, quote.currency)}</td>
            <td class="num" data-label="Yearly price after it">{cents(step.subtotalCents, quote.currency)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot><tr><th scope="row" colSpan={3}>You pay in a year</th><td class="num">{cents(quote.yearlyPremiumCents, quote.currency)}</td></tr></tfoot>
    </table>
  );
}

function waiting(days: number): string {
  return days === 0 ? 'from the first day' : `after ${days} days`;
}

/** Two quotes side by side: price, terms, then each kind of care either covers. */
export function ComparisonTable(props: { comparison: ComparisonView }) {
  const [a, b] = props.comparison.quotes;
  const both = [a, b] as const;
  const row = (label: string, cell: (q: QuoteView) => string) => (
    <tr>
      <th scope="row">{label}</th>
      {both.map((q) => <td key={q.id} data-label={q.product.name}>{cell(q)}</td>)}
    </tr>
  );
  return (
    <table class="data comparison">
      <caption>{a.product.name} and {b.product.name} side by side</caption>
      <thead><tr><th scope="col"><span class="sr-only">What</span></th>{both.map((q) => <th key={q.id} scope="col">{q.product.name}</th>)}</tr></thead>
      <tbody>
        {row('Price', (q) => `${cents(q.periodPremiumCents, q.currency)} ${per(q)}`)}
        {row('In a year', (q) => cents(q.yearlyPremiumCents, q.currency))}
        {row('Deductible', (q) => (q.deductibleCents === 0 ? 'None' : `${cents(q.deductibleCents, q.currency)} a year`))}
        {row('We pay after the deductible', (q) => `${q.product.coinsurancePermille / 10} %`)}
        {row('Most we pay in a year', (q) => cents(q.product.annualLimitCents, q.currency))}
        {props.comparison.benefits.map((benefit) => (
          <tr key={benefit.careCode}>
            <th scope="row">{benefit.label}</th>
            {benefit.offers.map((offer, index) => (
              <td key={both[index]!.id} data-label={both[index]!.product.name}>
                {offer ? `up to ${cents(offer.perItemLimitCents, both[index]!.currency)} each, ${cents(offer.annualLimitCents, both[index]!.currency)} a year, ${waiting(offer.waitingPeriodDays)}` : 'Not covered'}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
