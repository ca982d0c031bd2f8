import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, type Api } from '../common/api';
import { date } from '../common/format';
import { navigate } from '../common/router';
import { ErrorMessage, Loading, PageProblem } from '../common/ui';
import { cents } from '../quotes/quote-money';
import { type QuoteView } from '../quotes/quote-types';
import { type ApplicationView } from './application-types';

interface PersonAnswers {
  fullName: string;
  heightCm: string;
  weightKg: string;
  smoker: boolean;
  chronicCondition: boolean;
  hospitalisedLastFiveYears: boolean;
  ongoingTreatment: boolean;
  details: string;
}

const QUESTIONS: readonly { key: 'smoker' | 'chronicCondition' | 'hospitalisedLastFiveYears' | 'ongoingTreatment'; label: string }[] = [
  { key: 'smoker', label: 'Smokes or has smoked in the last 12 months' },
  { key: 'chronicCondition', label: 'Has a long-term (chronic) condition' },
  { key: 'hospitalisedLastFiveYears', label: 'Stayed in hospital in the last five years' },
  { key: 'ongoingTreatment', label: 'Is being treated now, or waits for a treatment' },
];

/**
 * Apply from one of my quotes: each person on the quote by name, their
 * health questionnaire, how to reach me. The answers go to the portal only;
 * an underwriter reads them when the rules refer the application.
 */
export function ApplyPage(props: { api: Api; quoteId: string }) {
  const [quote, setQuote] = useState<QuoteView>();
  const [problem, setProblem] = useState<string>();
  const [people, setPeople] = useState<PersonAnswers[]>([]);
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [accountHolder, setAccountHolder] = useState('');
  const [iban, setIban] = useState('');
  const [directDebit, setDirectDebit] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});

  useEffect(() => {
    document.title = 'Apply for cover · My claims';
    props.api.get<QuoteView>(`/quotes/${encodeURIComponent(props.quoteId)}`).then(
      (q) => {
        setQuote(q);
        setPeople(q.insured.map(() => ({ fullName: '', heightCm: '', weightKg: '', smoker: false, chronicCondition: false, hospitalisedLastFiveYears: false, ongoingTreatment: false, details: '' })));
      },
      (e: unknown) => setProblem(e instanceof ApiError && e.status === 404 ? 'We cannot find this quote. It may belong to another account.' : messageOf(e)),
    );
  }, [props.quoteId]);

  if (problem) return <PageProblem title="Quote not found" message={problem} back={{ href: '/quotes/new', label: 'Get a quote' }} />;
  if (!quote) return <Loading what="your quote" />;
  if (!quote.valid) return <PageProblem title="This quote has expired" message={`It held until ${date(quote.validUntil)}. Ask for a new quote to apply.`} back={{ href: '/quotes/new', label: 'Get a new quote' }} />;

  const change = (index: number, part: Partial<PersonAnswers>) => setPeople(people.map((p, i) => (i === index ? { ...p, ...part } : p)));
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setFields({});
    try {
      const made = await props.api.post<ApplicationView>('/applications', {
        quoteId: quote.id,
        people: quote.insured.map((person, i) => ({ role: person.role, birthDate: person.birthDate, fullName: people[i]!.fullName })),
        questionnaire: people.map((p) => ({ heightCm: Number(p.heightCm), weightKg: Number(p.weightKg), smoker: p.smoker, chronicCondition: p.chronicCondition, hospitalisedLastFiveYears: p.hospitalisedLastFiveYears, ongoingTreatment: p.ongoingTreatment, ...(p.details.trim() ? { details: p.details.trim() } : {}) })),
        contact: { email, ...(phone.trim() ? { phone: phone.trim() } : {}) },
        paymentAccount: { accountHolder, iban, premiumsByDirectDebit: directDebit },
      });
      // The documents go with the application once it exists; one refused is named on the application's page, which offers to send it again.
      const refused: string[] = [];
      for (const file of files) {
        const form = new FormData();
        form.append('file', file, file.name);
        await props.api.upload(`/applications/${made.id}/documents`, form).catch(() => refused.push(file.name));
      }
      navigate(`/applications/${made.id}${refused.length ? `?notSent=${encodeURIComponent(refused.join(', '))}` : ''}`);
    } catch (e) {
      setError(messageOf(e));
      if (e instanceof ApiError) setFields(Object.fromEntries(e.errors.map((f) => [f.name, f.reason])));
      setBusy(false);
    }
  };
  const fieldError = (name: string) => (fields[name] ? <p class="error field-error" id={`${name}-error`}>{fields[name]}</p> : null);

  return (
    <>
      <h1>Apply for {quote.product.name}</h1>
      <p>{cents(quote.periodPremiumCents, quote.currency)} per instalment, {cents(quote.yearlyPremiumCents, quote.currency)} a year, cover from {date(quote.startsOn)}.</p>
      <form class="card quote-form" onSubmit={(event) => void submit(event)} aria-label="Application">
        {quote.insured.map((person, i) => (
          <fieldset key={i}>
            <legend>{person.role === 'policyholder' ? 'Policyholder' : `Dependant ${i}`}, born {date(person.birthDate)}</legend>
            <div class="field">
              <label for={`name-${i}`}>Full name</label>
              <input id={`name-${i}`} required value={people[i]!.fullName} onInput={(e) => change(i, { fullName: e.currentTarget.value })} />
              {fieldError(`people[${i}].fullName`)}
            </div>
            <div class="pair">
              <div class="field">
                <label for={`height-${i}`}>Height (cm)</label>
                <input id={`height-${i}`} type="number" inputMode="numeric" required min={40} max={250} value={people[i]!.heightCm} onInput={(e) => change(i, { heightCm: e.currentTarget.value })} />
                {fieldError(`questionnaire[${i}].heightCm`)}
              </div>
              <div class="field">
                <label for={`weight-${i}`}>Weight (kg)</label>
                <input id={`weight-${i}`} type="number" inputMode="numeric" required min={2} max={350} value={people[i]!.weightKg} onInput={(e) => change(i, { weightKg: e.currentTarget.value })} />
                {fieldError(`questionnaire[${i}].weightKg`)}
              </div>
            </div>
            {QUESTIONS.map((q) => (
              <label key={q.key} class="check">
                <input type="checkbox" checked={people[i]![q.key]} onChange={(e) => change(i, { [q.key]: e.currentTarget.checked })} /> {q.label}
              </label>
            ))}
            <div class="field">
              <label for={`details-${i}`}>Anything we should know (conditions, treatments)</label>
              <textarea id={`details-${i}`} maxLength={2000} value={people[i]!.details} onInput={(e) => change(i, { details: e.currentTarget.value })} />
            </div>
          </fieldset>
        ))}
        <fieldset>
          <legend>Documents (optional)</legend>
          <div class="field">
            <label for="documents">Medical reports or other papers that support your answers (PDF or photos)</label>
            <input id="documents" type="file" multiple accept="application/pdf,image/*" onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])} />
          </div>
        </fieldset>
        <fieldset>
          <legend>How we reach you</legend>
          <div class="field">
            <label for="email">Email</label>
            <input id="email" type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            {fieldError('contact.email')}
          </div>
          <div class="field">
            <label for="phone">Mobile phone (optional, international form: +33…)</label>
            <input id="phone" type="tel" value={phone} onInput={(e) => setPhone(e.currentTarget.value)} />
            {fieldError('contact.phone')}
          </div>
        </fieldset>
        <fieldset>
          <legend>Your account for reimbursements</legend>
          <p class="muted">Once your policy is issued, the claims we accept are paid to this account. If you are already our client with an account on file, we keep that one.</p>
          <div class="field">
            <label for="account-holder">Account holder</label>
            <input id="account-holder" autoComplete="name" required value={accountHolder} onInput={(e) => setAccountHolder(e.currentTarget.value)} />
            {fieldError('paymentAccount.accountHolder')}
          </div>
          <div class="field">
            <label for="iban">IBAN</label>
            <input id="iban" autoComplete="off" spellcheck={false} required value={iban} onInput={(e) => setIban(e.currentTarget.value)} />
            {fieldError('paymentAccount.iban')}
          </div>
          <label class="check">
            <input type="checkbox" checked={directDebit} onChange={(e) => setDirectDebit(e.currentTarget.checked)} /> Pay my premiums from this account by SEPA direct debit
          </label>
          <p class="muted">By ticking this box you authorise us to send instructions to your bank to debit your account for each premium, from the day your policy is issued. You can change how you pay on any invoice. Otherwise, you choose how to pay on your first invoice.</p>
          {fieldError('paymentAccount.premiumsByDirectDebit')}
        </fieldset>
        <ErrorMessage error={error} />
        <div class="actions"><button type="submit" disabled={busy}>{busy ? 'Sending…' : 'Send my application'}</button></div>
      </form>
    </>
  );
}
