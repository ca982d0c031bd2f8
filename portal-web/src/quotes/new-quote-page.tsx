import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../common/api';
import { date } from '../common/format';
import { Link, navigate } from '../common/router';
import { ErrorMessage, Loading } from '../common/ui';
import { cents } from './quote-money';
import { ComparisonTable, PriceBreakdown, PriceSummary } from './quote-parts';
import { FREQUENCIES, REGIONS, type ComparisonView, type PaymentFrequency, type ProductView, type QuoteView } from './quote-types';

function todayLocal(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** A field's message from the API, under the field, and tied to it for screen readers. */
function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? <p class="error field-error" id={props.id}>{props.message}</p> : null;
}

/**
 * Get a quote for one product, or two side by side: who is insured (birth
 * dates), where the policyholder lives, when the cover starts, the
 * deductible and how often to pay. The price comes from the portal; this
 * page computes nothing.
 */
export function NewQuotePage(props: { api: Api }) {
  const [products, setProducts] = useState<ProductView[]>();
  const [productCode, setProductCode] = useState('');
  const [compareCode, setCompareCode] = useState('');
  const [deductibles, setDeductibles] = useState<Record<string, number>>({});
  const [startsOn, setStartsOn] = useState(todayLocal());
  const [region, setRegion] = useState('urban');
  const [frequency, setFrequency] = useState<PaymentFrequency>('monthly');
  const [holderBirthDate, setHolderBirthDate] = useState('');
  const [dependants, setDependants] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [comparison, setComparison] = useState<ComparisonView>();
  const [recent, setRecent] = useState<QuoteView[]>([]);

  useEffect(() => {
    document.title = 'Get a quote · My claims';
    props.api.get<{ items: ProductView[] }>('/products').then(
      (r) => {
        setProducts(r.items);
        setProductCode(r.items[0]?.code ?? '');
        setDeductibles(Object.fromEntries(r.items.map((p) => [p.code, p.deductibleOptionsCents[0] ?? 0])));
      },
      (e: unknown) => setError(messageOf(e)),
    );
    props.api.get<{ items: QuoteView[] }>('/quotes').then((r) => setRecent(r.items), () => undefined);
  }, []);

  if (!products) return error ? <ErrorMessage error={error} /> : <Loading what="our products" />;
  const byCode = (code: string) => products.find((p) => p.code === code);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFields({});
    setComparison(undefined);
    const insured = [{ role: 'policyholder', birthDate: holderBirthDate }, ...dependants.map((birthDate) => ({ role: 'dependant', birthDate }))];
    const terms = { startsOn, region, paymentFrequency: frequency, insured };
    try {
      if (compareCode) {
        const answer = await props.api.post<ComparisonView>('/quotes/comparison', { ...terms, products: [productCode, compareCode].map((code) => ({ productCode: code, deductibleCents: deductibles[code] })) });
        setComparison(answer);
      } else {
        const quote = await props.api.post<QuoteView>('/quotes', { ...terms, productCode, deductibleCents: deductibles[productCode] });
        navigate(`/quotes/${quote.id}`);
      }
    } catch (e) {
      if (e instanceof ApiError && e.errors.length > 0) {
        // products[0].x is the first product's field, products[1].x the one compared with.
        const named: Record<string, string> = {};
        for (const { name, reason } of e.errors) named[name.replace(/^products\[0\]\./, '').replace(/^products\[1\]\./, 'compare.')] ??= reason;
        setFields(named);
        setError('Please check the fields marked below.');
      } else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const described = (name: string) => (fields[name] ? { 'aria-invalid': true, 'aria-describedby': `error-${name.replace(/[^a-zA-Z0-9]/g, '-')}` } : {});
  const errorFor = (name: string) => <FieldError id={`error-${name.replace(/[^a-zA-Z0-9]/g, '-')}`} message={fields[name]} />;
  const deductibleField = (code: string, key: string, label: string) => {
    const product = byCode(code);
    if (!product) return null;
    return (
      <div class="field">
        <label for={`deductible-${key}`}>{label}</label>
        <select id={`deductible-${key}`} value={String(deductibles[code] ?? '')} onChange={(e) => setDeductibles({ ...deductibles, [code]: Number((e.target as HTMLSelectElement).value) })} {...described(`${key === 'main' ? '' : 'compare.'}deductibleCents`)}>
          {product.deductibleOptionsCents.map((option) => <option key={option} value={String(option)}>{option === 0 ? 'No deductible' : `${cents(option, product.currency)} a year`}</option>)}
        </select>
        {errorFor(`${key === 'main' ? '' : 'compare.'}deductibleCents`)}
      </div>
    );
  };

  return (
    <>
      <h1>Get a quote</h1>
      <p>Tell us who to insure and how you would like to pay; we show the price and how it is made. You can compare two products side by side.</p>
      <ErrorMessage error={error} />
      <form class="card quote-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset>
          <legend>Product</legend>
          <div class="field">
            <label for="product">Product</label>
            <select id="product" value={productCode} onChange={(e) => setProductCode((e.target as HTMLSelectElement).value)} {...described('productCode')}>
              {products.map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
            <p class="muted">{byCode(productCode)?.summary}</p>
            {errorFor('productCode')}
          </div>
          {deductibleField(productCode, 'main', 'Deductible')}
          <div class="field">
            <label for="compare">Compare with</label>
            <select id="compare" value={compareCode} onChange={(e) => setCompareCode((e.target as HTMLSelectElement).value)} {...described('compare.productCode')}>
              <option value="">No comparison</option>
              {products.filter((p) => p.code !== productCode).map((p) => <option key={p.code} value={p.code}>{p.name}</option>)}
            </select>
            {errorFor('compare.productCode')}
          </div>
          {compareCode && compareCode !== productCode ? deductibleField(compareCode, 'compare', `Deductible for ${byCode(compareCode)?.name ?? 'the other product'}`) : null}
        </fieldset>
        <fieldset>
          <legend>Who to insure</legend>
          <div class="field">
            <label for="holder-birth">Your date of birth</label>
            <input id="holder-birth" type="date" required value={holderBirthDate} max={todayLocal()} onInput={(e) => setHolderBirthDate((e.target as HTMLInputElement).value)} {...described('insured[0].birthDate')} />
            {errorFor('insured[0].birthDate')}
            {errorFor('insured')}
          </div>
          {dependants.map((birthDate, index) => (
            <div class="field dependant" key={index}>
              <label for={`dependant-${index}`}>Date of birth of dependant {index + 1}</label>
              <div class="inline">
                <input id={`dependant-${index}`} type="date" required value={birthDate} max={todayLocal()} onInput={(e) => setDependants(dependants.map((d, i) => (i === index ? (e.target as HTMLInputElement).value : d)))} {...described(`insured[${index + 1}].birthDate`)} />
                <button type="button" class="secondary" onClick={() => setDependants(dependants.filter((_d, i) => i !== index))}>Remove dependant {index + 1}</button>
              </div>
              {errorFor(`insured[${index + 1}].birthDate`)}
            </div>
          ))}
          {dependants.length < 8 ? <button type="button" class="secondary" onClick={() => setDependants([...dependants, ''])}>Add a dependant</button> : null}
        </fieldset>
        <fieldset>
          <legend>Where and when</legend>
          <div class="field">
            <label for="region">Where you live</label>
            <select id="region" value={region} onChange={(e) => setRegion((e.target as HTMLSelectElement).value)} {...described('region')}>
              {REGIONS.map((r) => <option key={r.code} value={r.code}>{r.label}</option>)}
            </select>
            {errorFor('region')}
          </div>
          <div class="field">
            <label for="starts-on">Cover from</label>
            <input id="starts-on" type="date" required value={startsOn} min={todayLocal()} onInput={(e) => setStartsOn((e.target as HTMLInputElement).value)} {...described('startsOn')} />
            {errorFor('startsOn')}
          </div>
          <div class="field">
            <label for="frequency">How often you pay</label>
            <select id="frequency" value={frequency} onChange={(e) => setFrequency((e.target as HTMLSelectElement).value as PaymentFrequency)} {...described('paymentFrequency')}>
              {FREQUENCIES.map((f) => <option key={f.code} value={f.code}>{f.label}</option>)}
            </select>
            {errorFor('paymentFrequency')}
          </div>
        </fieldset>
        <div class="actions"><button type="submit" disabled={busy}>{busy ? 'Pricing…' : compareCode ? 'Compare prices' : 'Get my quote'}</button></div>
      </form>
      {comparison ? (
        <section class="card" aria-labelledby="comparison-title">
          <h2 id="comparison-title">Side by side</h2>
          <div class="grid">{comparison.quotes.map((q) => <div key={q.id}><PriceSummary quote={q} headingLevel={3} /></div>)}</div>
          <ComparisonTable comparison={comparison} />
          {comparison.quotes.map((q) => <PriceBreakdown key={q.id} quote={q} caption={`How the yearly price of ${q.product.name} is made`} />)}
        </section>
      ) : null}
      {recent.length > 0 ? (
        <section aria-labelledby="recent-title">
          <h2 id="recent-title">Your recent quotes</h2>
          <ul class="claims-list card">
            {recent.slice(0, 10).map((q) => (
              <li key={q.id}>
                <Link href={`/quotes/${q.id}`}>{q.product.name}, {date(q.createdAt)}</Link>
                <span>{cents(q.yearlyPremiumCents, q.currency)} a year</span>
                <span class="muted">{q.valid ? `holds until ${date(q.validUntil)}` : 'expired'}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
