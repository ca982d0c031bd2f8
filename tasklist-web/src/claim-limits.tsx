import { money } from '@claims/portal-web/common/format';
import { type ClaimItemView, type Coverage } from '@claims/portal-web/common/types';

/**
 * The limits a decision runs into, beside the form: for each kind of care on
 * the claim, what the policy pays per item and what is left of its yearly
 * limit, then what is left of the policy year overall and of the deductible.
 */
export function ClaimLimits(props: { coverage: Coverage | null | undefined; items: readonly ClaimItemView[]; currency: string }) {
  const coverage = props.coverage;
  if (!coverage) return null;
  const cares = [...new Set(props.items.map((item) => item.careCode))];
  const benefits = cares.map((code) => ({ code, benefit: coverage.benefits.find((b) => b.careCode === code), label: props.items.find((i) => i.careCode === code)?.careLabel ?? code }));
  return (
    <section class="limits" aria-labelledby="limits-title" data-testid="claim-limits">
      <h3 id="limits-title">Limits</h3>
      <table class="data">
        <thead><tr><th scope="col">Care</th><th scope="col" class="num">Per item</th><th scope="col" class="num">Left this year</th></tr></thead>
        <tbody>
          {benefits.map(({ code, benefit, label }) => (
            <tr key={code}>
              <td data-label="Care">{benefit?.label ?? label}</td>
              <td class="num" data-label="Per item">{benefit ? money(benefit.perItemLimit, props.currency) : 'not covered'}</td>
              <td class="num" data-label="Left this year">{benefit ? `${money(benefit.remaining, props.currency)} of ${money(benefit.annualLimit, props.currency)}` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Policy year: <strong>{money(coverage.annualRemaining, props.currency)}</strong> left of {money(coverage.annualLimit, props.currency)}; deductible left {money(coverage.deductibleRemaining, props.currency)}.</p>
    </section>
  );
}
