import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '../common/api';
import { FilePreviews } from '../common/claim-parts';
import { dateTime } from '../common/format';
import { FormView, type FormData, type FormHandle } from '../common/form-view';
import { navigate } from '../common/router';
import { type PolicyView } from '../common/types';
import { ErrorMessage, Loading } from '../common/ui';

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
      const policyChoices = active.map((p) => ({ label: `${p.product} (${p.number})`, value: p.id }));
      const data: FormData = { ...(saved.draft?.data ?? {}), policies: policyChoices };
      if (!data.policyId && active.length === 1) data.policyId = active[0]!.id;
      if (saved.draft) setDraftSaved(saved.draft.updatedAt);
      latest.current = data;
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
    setFiles(form.current?.files(data.receipts) ?? []);
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
    const receipts = form.current?.files(data.receipts) ?? [];
    const steps = receipts.length + 2;
    try {
      setProgress(`Step 1 of ${steps}: saving your request…`);
      const claim = await props.api.post<{ id: string; reference: string }>('/claims', claimRequestOf(data), { 'idempotency-key': idempotencyKey.current });
      const done = uploaded.current.get(claim.id) ?? uploaded.current.set(claim.id, new Set()).get(claim.id)!;
      for (const [index, file] of receipts.entries()) {
        if (done.has(file)) continue;
        setProgress(`Step ${index + 2} of ${steps}: uploading receipt ${index + 1} of ${receipts.length}, ${file.name}…`);
        const upload = new window.FormData();
        upload.append('type', 'receipt');
        upload.append('file', file, file.name);
        await props.api.upload(`/claims/${claim.id}/documents`, upload);
        done.add(file);
      }
      setProgress(`Step ${steps} of ${steps}: sending request ${claim.reference}…`);
      await props.api.post(`/claims/${claim.id}/submission`);
      navigate(`/claims/${claim.id}`);
    } catch (e) {
      setProgress(undefined);
      setError(messageOf(e));
    }
  };

  const discard = async () => {
    window.clearTimeout(saveTimer.current);
    await props.api.delete('/me/claim-draft').catch(() => undefined);
    navigate('/');
  };

  if (!schema || !initial) return error ? <ErrorMessage error={error} /> : <Loading what="the request form" />;
  return (
    <>
      <h1>Request a reimbursement</h1>
      <div class="card">
        <FormView schema={schema} data={initial} onChange={onChange} onReady={(handle) => (form.current = handle)} />
        <FilePreviews files={files} />
      </div>
      <ErrorMessage error={error} />
      {progress ? <p role="status">{progress}</p> : null}
      <div class="actions">
        <button type="button" onClick={() => void send()} disabled={Boolean(progress)}>Send request</button>
        <button type="button" class="secondary" onClick={() => void saveDraft()}>Save draft</button>
        <button type="button" class="secondary" onClick={() => void discard()}>Discard</button>
        <span class="draft-state" role="status">{draftSaved ? `Draft saved ${dateTime(draftSaved)}. Receipts are uploaded when you send, before the request goes out.` : ''}</span>
      </div>
    </>
  );
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
