import { useEffect, useState } from 'preact/hooks';
import { messageOf, type Api } from '../common/api';
import { date } from '../common/format';
import { Link } from '../common/router';
import { ErrorMessage, Loading } from '../common/ui';
import { STATUS_WORDS, type ApplicationView } from './application-types';

/** My applications, newest first, and my documents (policy schedules). */
export function MyApplicationsPage(props: { api: Api }) {
  const [items, setItems] = useState<ApplicationView[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    document.title = 'My applications · My claims';
    props.api.get<{ items: ApplicationView[] }>('/applications').then((r) => setItems(r.items), (e: unknown) => setError(messageOf(e)));
  }, []);
  if (error) return <ErrorMessage error={error} />;
  if (!items) return <Loading what="your applications" />;
  return (
    <>
      <h1>My applications</h1>
      {items.length === 0 ? <p>No application yet. <Link href="/quotes/new">Get a quote</Link>, then apply from it.</p> : (
        <ul class="claims-list">
          {items.map((a) => (
            <li key={a.id}><Link href={`/applications/${a.id}`}>{a.reference}: {a.product.name}</Link><span>{STATUS_WORDS[a.status]}</span><span class="muted">{date(a.createdAt)}</span></li>
          ))}
        </ul>
      )}
    </>
  );
}

interface ClientDocument {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly policyNumber: string | null;
  readonly createdAt: string;
}

/** My documents: what the insurer sent me outside a claim (each policy's schedule), to download. */
export function MyDocumentsPage(props: { api: Api }) {
  const [items, setItems] = useState<ClientDocument[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    document.title = 'My documents · My claims';
    props.api.get<{ items: ClientDocument[] }>('/me/documents').then((r) => setItems(r.items), (e: unknown) => setError(messageOf(e)));
  }, []);
  const download = async (doc: ClientDocument) => {
    try {
      const blob = await props.api.blob(`/me/documents/${doc.id}/content`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = doc.name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (!items) return error ? <ErrorMessage error={error} /> : <Loading what="your documents" />;
  return (
    <>
      <h1>My documents</h1>
      <ErrorMessage error={error} />
      {items.length === 0 ? <p>No documents yet. A policy's schedule appears here once it is issued.</p> : (
        <ul class="claims-list">
          {items.map((d) => (
            <li key={d.id}><span>{d.kind === 'policy-schedule' ? `Policy schedule ${d.policyNumber ?? ''}` : d.name}</span><span class="muted">{date(d.createdAt)}</span><button type="button" class="secondary" onClick={() => void download(d)}>Download</button></li>
          ))}
        </ul>
      )}
    </>
  );
}
