import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { createLogger, findFreePort } from '@claims/deploy';
import { Outbox } from '@claims/deploy/src/outbox/outbox-server';
import { eventually } from '@claims/engine/src/testing/engine-fixture';
import { sampleValue } from '@claims/deploy/src/metrics/read-metrics';
import { DEFAULT_AUTHSERV_ID } from '@claims/deploy/src/outbox/sender-authentication';
import { EXAMPLE_DNS, EXAMPLE_SIGNING, stampedByOurHost } from '../testing/authenticated-mail';
import { PortalFixture } from '../testing/portal-fixture';
import { SAMPLE_FILES } from '../testing/sample-files';
import { EmailIntake } from './email-intake';

const CLAIMS_MAILBOX = 'claims@claims.example';


/**
 * Mail to the claims mailbox, through the real local SMTP sink: sent with
 * nodemailer to its SMTP port, read back by the portal's intake over the
 * sink's Mailpit API, as `npm start` runs it.
 */
describe('email intake', () => {
  let portal: PortalFixture;
  let outbox: Outbox;
  let smtp: Transporter;
  let aliceClaim: { id: string; reference: string };
  const logger = createLogger('test-email-intake', { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });

  beforeAll(async () => {
    outbox = new Outbox({ smtpPort: await findFreePort(), apiPort: 0, logger, dnsRecords: EXAMPLE_DNS });
    await outbox.start();
    portal = await PortalFixture.start('email-intake', {
      env: { SMTP_PORT: String(outbox.smtpPort), INTAKE_SOURCE: 'sink', INTAKE_SINK_URL: `http://127.0.0.1:${outbox.apiPort}`, INTAKE_MAILBOX: CLAIMS_MAILBOX, INTAKE_POLL_MS: '100', INTAKE_MAX_ATTEMPTS: '3', INTAKE_MAX_MESSAGE_MIB: '1' },
    });
    await portal.deployTestProcess();
    const policyId = (await portal.call('alice', 'GET', '/me/policies')).body.items[0].id as string;
    const id = await portal.fileAndSubmit('alice', { policyId, items: [{ serviceDate: '2026-10-01', providerName: 'Dr. A', careCode: 'GP_VISIT', amount: 50 }] });
    aliceClaim = { id, reference: (await portal.call('alice', 'GET', `/claims/${id}`)).body.reference };
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: outbox.smtpPort, secure: false, ignoreTLS: true });
  });

  afterAll(async () => {
    smtp?.close();
    await portal?.stop();
    await outbox?.stop();
  });

  let sent = 0;
  /** Sends a mail to the claims mailbox (DKIM-signed when from example.com, unless `forged`); its Message-ID, unique unless given. */
  async function mail(options: { from: string; subject: string; attachments?: { filename: string; content: Buffer }[]; messageId?: string; text?: string; forged?: boolean; headers?: Record<string, string> }): Promise<string> {
    const messageId = options.messageId ?? `<intake-${Date.now()}-${(sent += 1)}@mail.example>`;
    const dkim = options.from.includes('@example.com') && !options.forged ? EXAMPLE_SIGNING : undefined;
    await smtp.sendMail({ from: options.from, to: CLAIMS_MAILBOX, subject: options.subject, text: options.text ?? 'Please find my receipt attached.', messageId, attachments: options.attachments ?? [], dkim, headers: options.headers });
    return messageId.replace(/^<|>$/g, '');
  }

  interface IntakeRow {
    id: string;
    status: string;
    queue_reason: string | null;
    customer_id: string | null;
    claim_id: string | null;
  }
  /** The intake's row for a message, once the poller has taken it in. */
  const intakeOf = (messageId: string) =>
    eventually(async () => (await portal.portal.dataSource.query<IntakeRow[]>('SELECT id, status, queue_reason, customer_id, claim_id FROM intake_email WHERE message_id = $1', [messageId]))[0]);

  /** Files in the document storage (the test's folder). */
  const storedFiles = async () => (await readdir(path.join(portal.folder, 'documents'), { recursive: true, withFileTypes: true }).catch(() => [])).filter((entry) => entry.isFile()).length;

  const customerIdOf = async (user: string) => (await portal.call(user, 'GET', '/me')).body.customer.id as string;

  test('a receipt from a customer opens a draft claim with it as a document; the client is told and sees the draft', async () => {
    const messageId = await mail({ from: 'Alice Martin <alice@example.com>', subject: 'My dentist receipt', attachments: [{ filename: 'dentist.pdf', content: SAMPLE_FILES.pdf }] });
    const row = await intakeOf(messageId);
    expect(row).toMatchObject({ status: 'draft-opened', queue_reason: null, customer_id: await customerIdOf('alice') });
    const draft = await portal.call('alice', 'GET', `/claims/${row.claim_id}`);
    expect(draft.status).toBe(200);
    expect(draft.body).toMatchObject({ status: 'draft', description: 'Sent by email: My dentist receipt' });
    expect(draft.body.documents).toEqual([expect.objectContaining({ name: 'dentist.pdf', type: 'receipt' })]);
    const listed = await portal.call('alice', 'GET', '/claims?status=draft');
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(row.claim_id);
    // The bytes are those mailed.
    const content = await fetch(`${portal.baseUrl}/api/documents/${draft.body.documents[0].id}/content`, { headers: { authorization: `Bearer ${await portal.token('alice')}` } });
    expect(Buffer.from(await content.arrayBuffer()).equals(SAMPLE_FILES.pdf)).toBe(true);
    const told = await eventually(() => Promise.resolve(outbox.mails.find((m) => m.To.some((t) => t.Address === 'alice@example.com') && m.Subject.includes(draft.body.reference))));
    expect(told.Subject).toBe(`We received your receipts: claim ${draft.body.reference} is ready for you to complete`);
    const audit = await portal.portal.dataSource.query<{ action: string; details: { channel: string } }[]>(`SELECT action, details FROM audit_entry WHERE entity_id = $1 AND action = 'intake.draft-opened'`, [row.claim_id]);
    expect(audit).toEqual([expect.objectContaining({ details: expect.objectContaining({ channel: 'email', documents: 1 }) })]);
    const created = await portal.portal.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM audit_entry WHERE action = 'document.created' AND entity_id = $1`, [draft.body.documents[0].id]);
    expect(created[0]!.n).toBe(1);
    // On the customer's timeline: one inbound email linked to the draft; the claim came in by email.
    const contacts = await portal.portal.dataSource.query<{ channel: string; direction: string; summary: string; claim_id: string }[]>('SELECT channel, direction, summary, claim_id FROM customer_interaction WHERE claim_id = $1', [row.claim_id]);
    expect(contacts).toEqual([{ channel: 'email', direction: 'in', summary: 'My dentist receipt', claim_id: row.claim_id }]);
    const [{ intake_channel: channel }] = await portal.portal.dataSource.query<[{ intake_channel: string }]>('SELECT intake_channel FROM claim WHERE id = $1', [row.claim_id]);
    expect(channel).toBe('email');

    // The client completes it: sending it bare is refused, naming the items; with its care items it goes.
    const bare = await portal.call('alice', 'POST', `/claims/${row.claim_id}/submission`);
    expect(bare.status).toBe(422);
    expect(bare.body.errors).toEqual([expect.objectContaining({ name: 'items' })]);
    expect((await portal.call('bruno', 'PUT', `/claims/${row.claim_id}/items`, { json: { items: [{ serviceDate: '2026-10-03', providerName: 'Dr. Smile', careCode: 'DENTAL', amount: 80.5 }] } })).status).toBe(404);
    const completed = await portal.call('alice', 'PUT', `/claims/${row.claim_id}/items`, { json: { items: [{ serviceDate: '2026-10-03', providerName: 'Dr. Smile', careCode: 'GP_VISIT', amount: 80.5 }, { serviceDate: '2026-10-04', providerName: 'Dr. Smile', careCode: 'GP_VISIT', amount: 19.5 }] } });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ status: 'draft', totalClaimed: 100 });
    expect(completed.body.items).toHaveLength(2);
    const sent = await portal.call('alice', 'POST', `/claims/${row.claim_id}/submission`);
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('received');
    expect((await portal.call('alice', 'PUT', `/claims/${row.claim_id}/items`, { json: { items: [{ serviceDate: '2026-10-03', providerName: 'Dr. Smile', careCode: 'GP_VISIT', amount: 1 }] } })).status).toBe(409);
  });

  test('a subject carrying the sender\'s own claim reference adds the attachments to that claim', async () => {
    const before = (await portal.call('alice', 'GET', `/claims/${aliceClaim.id}`)).body.documents.length as number;
    const messageId = await mail({ from: 'alice@example.com', subject: `Re: your claim ${aliceClaim.reference.toLowerCase()}`, attachments: [{ filename: 'scan.png', content: SAMPLE_FILES.png }] });
    const row = await intakeOf(messageId);
    expect(row).toMatchObject({ status: 'attached', claim_id: aliceClaim.id });
    const claim = (await portal.call('alice', 'GET', `/claims/${aliceClaim.id}`)).body;
    expect(claim.documents).toHaveLength(before + 1);
    expect(claim.documents.map((d: { name: string }) => d.name)).toContain('scan.png');
    expect(claim.timeline.map((e: { message: string }) => e.message)).toContain('Document received by email: scan.png.');
    // The same audit trail as an upload: a document.created entry for the emailed document, by the mailbox.
    const document = claim.documents.find((d: { name: string }) => d.name === 'scan.png');
    const audit = await portal.portal.dataSource.query<{ actor_name: string; details: Record<string, unknown> }[]>(`SELECT actor_name, details FROM audit_entry WHERE action = 'document.created' AND entity_id = $1`, [document.id]);
    expect(audit).toEqual([{ actor_name: 'claims-mailbox', details: { claimId: aliceClaim.id, type: 'receipt', sha256: createHash('sha256').update(SAMPLE_FILES.png).digest('hex'), size: SAMPLE_FILES.png.length, mediaType: 'image/png' } }]);
  });

  test('a forged sender (From: a customer, not authenticated by our receiving host) is queued; nothing goes on the claim or the timeline', async () => {
    const before = (await portal.call('alice', 'GET', `/claims/${aliceClaim.id}`)).body.documents.length as number;
    const alice = await customerIdOf('alice');
    const contactsBefore = (await portal.portal.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM customer_interaction WHERE customer_id = $1', [alice]))[0]!.n;
    // The forger also writes verdicts of their own: one under our host's name (the sink drops it), one under another host's (ignored).
    const messageId = await mail({
      from: 'Alice Martin <alice@example.com>',
      subject: `Receipt for ${aliceClaim.reference}`,
      attachments: [{ filename: 'forged.pdf', content: SAMPLE_FILES.pdf }],
      forged: true,
      headers: { 'Authentication-Results': `${DEFAULT_AUTHSERV_ID}; dmarc=pass header.from=example.com` },
    });
    const draftAttempt = await mail({ from: 'alice@example.com', subject: 'Pharmacy bill', attachments: [{ filename: 'forged2.pdf', content: SAMPLE_FILES.png }], forged: true, headers: { 'Authentication-Results': 'mx.elsewhere.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com' } });
    expect(await intakeOf(draftAttempt)).toMatchObject({ status: 'queued', queue_reason: 'unverified-sender', customer_id: null, claim_id: null });
    const row = await intakeOf(messageId);
    expect(row).toMatchObject({ status: 'queued', queue_reason: 'unverified-sender', customer_id: null, claim_id: null });
    expect((await portal.call('alice', 'GET', `/claims/${aliceClaim.id}`)).body.documents).toHaveLength(before);
    expect((await portal.portal.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM customer_interaction WHERE customer_id = $1', [alice]))[0]!.n).toBe(contactsBefore);
    // The verdict the sink wrote is the only one under its name, and it says the sender failed.
    const stored = outbox.mails.find((m) => m.MessageID === messageId)!;
    expect(stored.Headers['Authentication-Results']).toEqual([expect.stringMatching(new RegExp(`^${DEFAULT_AUTHSERV_ID};[\\s\\S]*dmarc=fail`))]);
    // An agent still sees it in the queue, with the customer with that address as a candidate.
    const opened = await portal.call('carla', 'GET', `/service/intake/${row.id}`);
    expect(opened.body.queueReason).toBe('unverified-sender');
    expect(opened.body.candidates.map((c: { id: string }) => c.id)).toContain(alice);
  });

  test('another client\'s reference is never attached: the mail is queued', async () => {
    const before = (await portal.call('alice', 'GET', `/claims/${aliceClaim.id}`)).body.documents.length as number;
    const messageId = await mail({ from: 'bruno@example.com', subject: `Receipt for ${aliceClaim.reference}`, attachments: [{ filename: 'other.pdf', content: SAMPLE_FILES.pdf }] });
    const row = await intakeOf(messageId);
    expect(row).toMatchObject({ status: 'queued', queue_reason: 'foreign-reference', claim_id: null, customer_id: await customerIdOf('bruno') });
    expect((await portal.call('alice', 'GET', `/claims/${aliceClaim.id}`)).body.documents).toHaveLength(before);
  });

  test('unmatched mail is queued; an agent opens it, files it for a customer (a draft) and dismisses another with a reason', async () => {
    const unknown = await intakeOf(await mail({ from: 'Bruno Keller <bruno.private@elsewhere.example>', subject: 'Pharmacy', attachments: [{ filename: 'pharmacy.pdf', content: SAMPLE_FILES.pdf }] }));
    const empty = await intakeOf(await mail({ from: 'alice@example.com', subject: 'When will I be paid?' }));
    expect(unknown).toMatchObject({ status: 'queued', queue_reason: 'unknown-sender' });
    expect(empty).toMatchObject({ status: 'queued', queue_reason: 'no-attachment' });

    const queue = await portal.call('carla', 'GET', '/service/intake');
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual(expect.arrayContaining([unknown.id, empty.id]));
    const opened = await portal.call('carla', 'GET', `/service/intake/${unknown.id}`);
    expect(opened.body).toMatchObject({ subject: 'Pharmacy', from: { address: 'bruno.private@elsewhere.example' }, queueReason: 'unknown-sender', attachments: 1 });
    // A call-center agent may not read medical documents: types, sizes and the count, not the file names nor the client's text.
    expect(opened.body).not.toHaveProperty('text');
    expect(opened.body.attachmentList).toEqual([{ position: 1, mediaType: 'application/pdf', size: SAMPLE_FILES.pdf.length, refusedReason: null, filed: false }]);
    expect(JSON.stringify(opened.body)).not.toContain('pharmacy.pdf');
    // Their team lead (a manager) may: names and text.
    const forManager = await portal.call('marc', 'GET', `/service/intake/${unknown.id}`);
    expect(forManager.body).toMatchObject({ text: expect.stringContaining('receipt') });
    expect(forManager.body.attachmentList).toEqual([expect.objectContaining({ fileName: 'pharmacy.pdf', mediaType: 'application/pdf', refusedReason: null, filed: false })]);
    const bruno = await customerIdOf('bruno');
    expect(opened.body.candidates.map((c: { id: string }) => c.id)).toContain(bruno);

    const filed = await portal.call('carla', 'POST', `/service/intake/${unknown.id}/assignment`, { json: { customerId: bruno } });
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ kind: 'draft-opened' });
    const draft = await portal.call('bruno', 'GET', `/claims/${filed.body.claimId}`);
    expect(draft.body).toMatchObject({ status: 'draft', documents: [expect.objectContaining({ name: 'pharmacy.pdf' })] });
    expect((await portal.call('carla', 'POST', `/service/intake/${unknown.id}/assignment`, { json: { customerId: bruno } })).status).toBe(409);

    // A mail with nothing to file cannot become a claim; it is dismissed with a reason.
    expect((await portal.call('carla', 'POST', `/service/intake/${empty.id}/assignment`, { json: { customerId: await customerIdOf('alice') } })).status).toBe(422);
    const dismissed = await portal.call('marc', 'POST', `/service/intake/${empty.id}/dismissal`, { json: { reason: 'Answered by phone.' } });
    expect(dismissed.status).toBe(200);
    expect((await portal.call('carla', 'POST', `/service/intake/${empty.id}/dismissal`, { json: { reason: 'Again.' } })).status).toBe(409);
    const [row] = await portal.portal.dataSource.query<{ status: string; dismiss_reason: string; resolved_by: string }[]>('SELECT status, dismiss_reason, resolved_by FROM intake_email WHERE id = $1', [empty.id]);
    expect(row).toEqual({ status: 'dismissed', dismiss_reason: 'Answered by phone.', resolved_by: 'marc' });
    // The queue's size is a metric, by reason: the dismissed mail left it.
    const metrics = await (await fetch(`${portal.baseUrl}/metrics`)).text();
    expect(sampleValue(metrics, 'portal_claims_mailbox_queued', { reason: 'no-attachment', component: 'portal' }) ?? 0).toBe(
      (await portal.portal.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM intake_email WHERE status = 'queued' AND queue_reason = 'no-attachment'`))[0]!.n,
    );
    expect(sampleValue(metrics, 'portal_claims_mailbox_queued', { reason: 'foreign-reference', component: 'portal' })).toBe(1);
    const queueAfter = await portal.call('carla', 'GET', '/service/intake');
    expect(queueAfter.body.items.map((i: { id: string }) => i.id)).not.toContain(unknown.id);
    expect(queueAfter.body.items.map((i: { id: string }) => i.id)).not.toContain(empty.id);
  });

  test('an agent files a queued mail onto one of the customer\'s claims, never onto a claim of someone else', async () => {
    const queued = await intakeOf(await mail({ from: 'unknown@elsewhere.example', subject: 'For my claim', attachments: [{ filename: 'more.pdf', content: SAMPLE_FILES.pdf }] }));
    const bruno = await customerIdOf('bruno');
    const refused = await portal.call('carla', 'POST', `/service/intake/${queued.id}/assignment`, { json: { customerId: bruno, claimId: aliceClaim.id } });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ name: 'claimId' })]);
    const filed = await portal.call('carla', 'POST', `/service/intake/${queued.id}/assignment`, { json: { customerId: await customerIdOf('alice'), claimId: aliceClaim.id } });
    expect(filed.body).toMatchObject({ kind: 'attached', claimId: aliceClaim.id });
  });

  test('a message delivered twice (same Message-ID) is taken in once', async () => {
    const messageId = `<twice-${Date.now()}@mail.example>`;
    const drafts = () => portal.portal.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM claim c JOIN customer cu ON cu.id = c.customer_id WHERE cu.email = 'bruno@example.com' AND c.status = 'draft'`);
    const [{ n: before }] = await drafts();
    await mail({ from: 'bruno@example.com', subject: 'Physio', attachments: [{ filename: 'physio.pdf', content: SAMPLE_FILES.pdf }], messageId });
    await intakeOf(messageId.slice(1, -1));
    await mail({ from: 'bruno@example.com', subject: 'Physio', attachments: [{ filename: 'physio.pdf', content: SAMPLE_FILES.pdf }], messageId });
    // The second copy is in the sink; wait until the intake has read past it, then count.
    await eventually(() => Promise.resolve(outbox.mails.filter((m) => m.MessageID === messageId.slice(1, -1)).length === 2 ? true : undefined));
    const raw = outbox.mails.find((m) => m.MessageID === messageId.slice(1, -1))!.Raw;
    expect(await portal.portal.app.get(EmailIntake).receive(raw)).toMatchObject({ kind: 'duplicate' });
    const [{ n: after }] = await drafts();
    expect(after).toBe(before + 1);
    expect((await portal.portal.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM intake_email WHERE message_id = $1', [messageId.slice(1, -1)]))[0]!.n).toBe(1);
  });

  test('the same message taken in by several readers at once, and filed by two agents at once: once each', async () => {
    const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const messageId = `<race-${Date.now()}@mail.example>`;
    const { message: signed } = (await composer.sendMail({ from: 'alice@example.com', to: CLAIMS_MAILBOX, subject: 'Race', messageId, attachments: [{ filename: 'race.pdf', content: SAMPLE_FILES.pdf }], dkim: EXAMPLE_SIGNING })) as { message: Buffer };
    // As our receiving host hands it on: with its verdict on the sender.
    const message = await stampedByOurHost(signed, 'alice@example.com');
    const intake = portal.portal.app.get(EmailIntake);
    const storedBefore = await storedFiles();
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => intake.receive(message)));
    expect(outcomes.filter((o) => o.kind === 'draft-opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(5);
    const [{ n }] = await portal.portal.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM claim WHERE idempotency_key = $1`, [`email:${outcomes[0]!.emailId}`]);
    expect(n).toBe(1);
    // No orphan bytes: the readers that lost removed the copies they had stored; one file is left, the receipt's.
    expect(await storedFiles()).toBe(storedBefore + 1);

    const queued = await intakeOf(await mail({ from: 'nobody@elsewhere.example', subject: 'Two agents', attachments: [{ filename: 'two.pdf', content: SAMPLE_FILES.pdf }] }));
    const alice = await customerIdOf('alice');
    const both = await Promise.all(['carla', 'marc'].map((agent) => portal.call(agent, 'POST', `/service/intake/${queued.id}/assignment`, { json: { customerId: alice } })));
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    const [{ drafts }] = await portal.portal.dataSource.query<[{ drafts: number }]>(`SELECT count(*)::int AS drafts FROM claim WHERE idempotency_key = $1`, [`email:${queued.id}`]);
    expect(drafts).toBe(1);
  });

  test('a hostile attachment is refused and recorded, the mail and its good attachment are kept', async () => {
    const mixed = await intakeOf(await mail({ from: 'alice@example.com', subject: 'Two files', attachments: [{ filename: 'receipt.pdf', content: SAMPLE_FILES.exe }, { filename: 'photo.png', content: SAMPLE_FILES.png }] }));
    expect(mixed.status).toBe('draft-opened');
    const draft = (await portal.call('alice', 'GET', `/claims/${mixed.claim_id}`)).body;
    expect(draft.documents.map((d: { name: string }) => d.name)).toEqual(['photo.png']);
    const onlyBad = await intakeOf(await mail({ from: 'alice@example.com', subject: 'Invoice', attachments: [{ filename: '../../etc/passwd.pdf', content: SAMPLE_FILES.pdf }, { filename: 'invoice.pdf', content: SAMPLE_FILES.text }] }));
    expect(onlyBad).toMatchObject({ status: 'queued', queue_reason: 'attachments-refused', claim_id: null });
    const opened = await portal.call('marc', 'GET', `/service/intake/${onlyBad.id}`);
    expect(opened.body.subject).toBe('Invoice');
    expect(opened.body.attachmentList).toEqual([
      expect.objectContaining({ position: 1, refusedReason: expect.stringContaining('file name'), filed: false }),
      expect.objectContaining({ position: 2, fileName: 'invoice.pdf', refusedReason: expect.stringContaining('not a recognised file type'), filed: false }),
    ]);
    // An agent reads why, without the name the refusal quoted.
    const forAgent = await portal.call('carla', 'GET', `/service/intake/${onlyBad.id}`);
    expect(forAgent.body.attachmentList[1]).toEqual({ position: 2, mediaType: null, size: SAMPLE_FILES.text.length, refusedReason: expect.stringContaining('not a recognised file type'), filed: false });
    expect(JSON.stringify(forAgent.body)).not.toContain('invoice.pdf');
    const [{ stored }] = await portal.portal.dataSource.query<[{ stored: number }]>('SELECT count(storage_key)::int AS stored FROM intake_attachment WHERE email_id = $1', [onlyBad.id]);
    expect(stored).toBe(0);
  });

  test('messages the intake cannot take in are queued as unreadable after their tries, and do not hold up the mail behind them', async () => {
    // A NUL in the subject: Postgres refuses it, so receive() throws for each of these, a full batch of them.
    const poison = await Promise.all(Array.from({ length: 20 }, (_, i) => mail({ from: 'someone@elsewhere.example', subject: `Broken ${i} \u0000 subject` })));
    const good = await mail({ from: 'bruno@example.com', subject: 'After the broken ones', attachments: [{ filename: 'after.pdf', content: SAMPLE_FILES.pdf }] });
    expect(await intakeOf(good)).toMatchObject({ status: 'draft-opened' });
    for (const messageId of poison) {
      const row = await eventually(async () => (await portal.portal.dataSource.query<{ status: string; queue_reason: string; subject: string; from_address: string }[]>('SELECT status, queue_reason, subject, from_address FROM intake_email WHERE message_id = $1', [messageId]))[0]);
      expect(row).toMatchObject({ status: 'queued', queue_reason: 'unreadable', from_address: 'someone@elsewhere.example', subject: expect.stringMatching(/^Broken \d+ {2}subject$/) });
    }
    // Acknowledged: they are not tried again (the poller's rounds go on without new failures).
    const queued = await portal.call('carla', 'GET', '/service/intake?limit=200');
    expect(queued.body.items.filter((i: { queueReason: string }) => i.queueReason === 'unreadable')).toHaveLength(20);
  });

  test('a message larger than INTAKE_MAX_MESSAGE_MIB is not downloaded: it is queued as too-large from its envelope', async () => {
    const big = Buffer.concat([SAMPLE_FILES.pdf, Buffer.alloc(1024 * 1024 + 10, 7)]);
    const messageId = await mail({ from: 'alice@example.com', subject: `Big scan for ${aliceClaim.reference}`, attachments: [{ filename: 'big.pdf', content: big }] });
    const row = await intakeOf(messageId);
    expect(row).toMatchObject({ status: 'queued', queue_reason: 'too-large', customer_id: null, claim_id: null });
    const [stored] = await portal.portal.dataSource.query<{ size_bytes: number; subject: string; from_address: string; attachments: number }[]>(
      'SELECT size_bytes, subject, from_address, (SELECT count(*)::int FROM intake_attachment a WHERE a.email_id = e.id) AS attachments FROM intake_email e WHERE id = $1',
      [row.id],
    );
    expect(stored).toEqual({ size_bytes: outbox.mails.find((m) => m.MessageID === messageId)!.Size, subject: `Big scan for ${aliceClaim.reference}`, from_address: 'alice@example.com', attachments: 0 });
    expect(stored!.size_bytes).toBeGreaterThan(1024 * 1024);
  });
});
