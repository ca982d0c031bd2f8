import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '../common/api';
import { dateTime } from '../common/format';
import { FormView, type FormData, type FormHandle } from '../common/form-view';
import { navigate } from '../common/router';
import { type PolicyView } from '../common/types';
import { ErrorMessage, Loading, PageProblem } from '../common/ui';
import { documentsSentence, kindLabel } from '../documents/document-kinds';
import { acceptedFiles, TaggedFiles } from '../documents/tagged-files';
import { claimPathWithNotAttached, uploadFiles } from '../documents/upload-files';
import { useUploadRules } from '../documents/upload-rules';

/** Fields of the request form that are not the claim's own (files, the consent box, the policy list). */
const NOT_IN_DRAFT = new Set(['receipts', 'declarationAccepted', 'policies']);
const AUTOSAVE_MS = 1500;

interface Draft {
  readonly data: FormData;
  readonly updatedAt: string;
}

/**
 * Files a reimbursement request with the form the process starts with
 * (`forms/claim-request.form`, as deployed), in three steps shown as they
 * go: the claim is filed as a draft, each receipt is uploaded to it, then it
 * is submitted, which starts its processing with every receipt in place. The
 * form's data is kept on the server while the client types (`/me/claim-draft`,
 * discarded by the submission), so the request can be finished later; a
 * retry after a failure reuses the draft claim and the receipts already sent.
 */
export function NewClaimPage(props: { api: Api }) {
  const [schema, setSchema] = useState<unknown>();
  const [initial, setInitial] = useState<FormData>();
  const [draftSaved, setDraftSaved] = useState<string>();
  const [files, setFiles] = useState<File[]>([]);
  const [kinds, setKinds] = useState<ReadonlyMap<File, string>>(new Map());
  const [policies, setPolicies] = useState<readonly PolicyView[]>([]);
  const [data, setData] = useState<FormData>({});
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const rules = useUploadRules();
  const keepButton = useRef<HTMLButtonElement>(null);
  // The question takes the focus, on its safe answer.
  useEffect(() => {
    if (confirmDiscard) keepButton.current?.focus();
  }, [confirmDiscard]);
  const [progress, setProgress] = useState<string>();
  const [error, setError] = useState<string>();
  const form = useRef<FormHandle>();
  const latest = useRef<FormData>({});
  const saveTimer = useRef<number>();
  // One key per request being filed: a retry after a lost answer is the same claim.
  const idempotencyKey = useRef(crypto.randomUUID());
  // Receipts already on the draft claim, so that a retry does not upload them twice.
  const uploaded = useRef(new Map<string, Set<File>>());

  useEffect(() => {
    document.title = 'Request a reimbursement · My claims';
    Promise.all([
      props.api.get<{ schema: unknown }>('/claims/request-form'),
      props.api.get<{ items: PolicyView[] }>('/me/policies'),
      props.api.get<{ draft: Draft | null }>('/me/claim-draft'),
    ]).then(([form, policies, saved]) => {
      const active = policies.items.filter((p) => p.status === 'active');
      setPolicies(active);
      const policyChoices = active.map((p) => ({ label: `${p.product} (${p.number})`, value: p.id }));
      const data: FormData = { ...(saved.draft?.data ?? {}), policies: policyChoices };
      if (!data.policyId && active.length === 1) data.policyId = active[0]!.id;
      if (saved.draft) setDraftSaved(saved.draft.updatedAt);
      latest.current = data;
      setData(data);
      setInitial(data);
      setSchema(form.schema);
    }, (e: unknown) => setError(messageOf(e)));
    return () => window.clearTimeout(saveTimer.current);
  }, []);

  const saveDraft = async () => {
    window.clearTimeout(saveTimer.current);
    const data = Object.fromEntries(Object.entries(latest.current).filter(([key]) => !NOT_IN_DRAFT.has(key)));
    try {
      const saved = await props.api.put<{ draft: Draft }>('/me/claim-draft', { data });
      setDraftSaved(saved.draft.updatedAt);
    } catch (e) {
      setError(`Your draft could not be saved: ${messageOf(e)}`);
    }
  };

  const onChange = (data: FormData) => {
    latest.current = data;
    setData(data);
    setFiles(form.current?.files(data.receipts) ?? []);
    // What the message was about has changed: it would mislead now.
    setError(undefined);
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => void saveDraft(), AUTOSAVE_MS);
  };

  const send = async () => {
    setError(undefined);
    const result = form.current?.submit();
    if (!result) {
      setError('Some fields need your attention; they are marked in the form.');
      return;
    }
    window.clearTimeout(saveTimer.current);
    const { data } = result;
    const picked = form.current?.files(data.receipts) ?? [];
    const receipts = acceptedFiles(picked, rules);
    if (receipts.length < picked.length) {
      setError('Some files cannot be sent (they are marked below): pick your files again without them.');
      return;
    }
    try {
      setProgress('Saving your request…');
      const claim = await props.api.post<{ id: string; reference: string }>('/claims', claimRequestOf(data), { 'idempotency-key': idempotencyKey.current });
      const done = uploaded.current.get(claim.id) ?? uploaded.current.set(claim.id, new Set()).get(claim.id)!;
      const refused = await uploadFiles(props.api, claim.id, receipts, kinds, done, setProgress);
      if (refused.length > 0) {
        // The claim exists as a draft: the client finishes it there, where the refused files are named.
        await props.api.delete('/me/claim-draft').catch(() => undefined);
        navigate(claimPathWithNotAttached(claim.id, refused));
        return;
      }
      setProgress(`Sending request ${claim.reference}…`);
      await props.api.post(`/claims/${claim.id}/submission`);
      navigate(`/claims/${claim.id}`);
    } catch (e) {
      setProgress(undefined);
      setError(messageOf(e));
    }
  };

  const needed = neededDocuments(data, policies);
  const discard = async () => {
    window.clearTimeout(saveTimer.current);
    await props.api.delete('/me/claim-draft').catch(() => undefined);
    navigate('/');
  };

  if (!schema || !initial) return error ? <ErrorMessage error={error} /> : <Loading what="the request form" />;
  // A new client (or one whose cover ended) has nothing to claim on: say so rather than offer a form that cannot be sent.
  if (policies.length === 0) return <PageProblem title="No policy to claim on yet" message="You have no active policy. Get a quote and apply for cover; once your policy is issued you can request reimbursements here." back={{ href: '/quotes/new', label: 'Get a quote' }} />;
  return (
    <>
      <h1>Request a reimbursement</h1>
      <div class="card">
        <FormView schema={schema} data={initial} onChange={onChange} onReady={(handle) => (form.current = handle)} />
        <TaggedFiles files={files} kinds={kinds} rules={rules} onKind={(file, kind) => setKinds(new Map(kinds).set(file, kind))} />
        {needed.length > 0 ? (
          <section class="needed" aria-labelledby="needed-title">
            <h2 id="needed-title">Documents to attach</h2>
            <ul>
              {needed.map((care) => (
                <li key={care.careCode}>
                  {care.label}: {documentsSentence(care.requiredDocuments)}.{' '}
                  {care.requiredDocuments.filter((kind) => ![...files].some((file) => (kinds.get(file) ?? 'receipt') === kind)).map((kind) => <span key={kind} class="badge missing">{kindLabel(kind)} not attached yet</span>)}
                </li>
              ))}
            </ul>
            <p class="muted">Tag each file with what it is: a report sent now is not asked for again.</p>
          </section>
        ) : null}
      </div>
      <div class="actions">
        <button type="button" onClick={() => void send()} disabled={Boolean(progress)}>Send request</button>
        <button type="button" class="secondary" onClick={() => void saveDraft()}>Save draft</button>
        <button type="button" class="secondary" onClick={() => setConfirmDiscard(true)} aria-expanded={confirmDiscard}>Discard</button>
      </div>
      {/* Below the buttons and with its room kept, so a message never moves a button under the finger. */}
      <p class="draft-state" role="status">{draftSaved ? `Draft saved ${dateTime(draftSaved)}. Files are uploaded when you send, before the request goes out.` : ''}</p>
      {confirmDiscard ? (
        <div class="card notice" role="alertdialog" aria-labelledby="discard-title" aria-describedby="discard-text">
          <h2 id="discard-title">Discard this request?</h2>
          <p id="discard-text">What you typed is deleted and nothing is sent.</p>
          <div class="actions">
            <button type="button" class="danger" onClick={() => void discard()}>Yes, discard it</button>
            <button type="button" class="secondary" onClick={() => setConfirmDiscard(false)} ref={keepButton}>Keep it</button>
          </div>
        </div>
      ) : null}
      <ErrorMessage error={error} />
      {progress ? <p role="status">{progress}</p> : null}
    </>
  );
}

/** For each kind of care on the form, the documents its benefit in the chosen policy needs. */
function neededDocuments(data: FormData, policies: readonly PolicyView[]) {
  const policy = policies.find((p) => p.id === data.policyId);
  const items = Array.isArray(data.items) ? (data.items as Record<string, unknown>[]) : [];
  const codes = new Set(items.map((item) => item.careCode).filter((code): code is string => typeof code === 'string'));
  return (policy?.coverage?.benefits ?? []).filter((benefit) => codes.has(benefit.careCode) && (benefit.requiredDocuments ?? []).length > 0).map((benefit) => ({ ...benefit, requiredDocuments: benefit.requiredDocuments ?? [] }));
}

/** The API's claim request from the form's data; empty optional fields are left out. */
function claimRequestOf(data: FormData) {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const items = Array.isArray(data.items) ? (data.items as Record<string, unknown>[]) : [];
  return {
    policyId: data.policyId,
    description: text(data.description),
    items: items.map((item) => ({
      serviceDate: item.serviceDate,
      providerName: text(item.providerName),
      careCode: item.careCode,
      amount: Number(item.amount),
      description: text(item.description),
      invoiceNumber: text(item.invoiceNumber),
    })),
  };
}
