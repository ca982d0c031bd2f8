import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ENTRY_COLUMNS, auditEntryValues, chainedEntry } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { decimalOfCents, fromCents, toCents } from '../benefits/cents';
import { STATUS_WORDING } from './claim-status';
import { type CreateClaimInput } from './claim.dto';

/** What filing learns in its first statement (see intakeOf). */
export interface Intake {
  readonly customer_id: string;
  readonly policy_id: string | null;
  readonly currency: string | null;
  readonly earlier_id: string | null;
  /** The next claim reference number, drawn only when a new claim can be filed. */
  readonly seq: string | null;
}

/**
 * What filing needs to know, in one statement: the caller's customer record
 * (none: undefined), the policy if it is theirs, whether the idempotency key
 * names a claim of theirs already, and, only when a new claim will be filed
 * (`mayFile`, the policy theirs, the key unused), the next reference number:
 * a CASE evaluates nextval only in the branch taken, so refusals and
 * replays draw none.
 */
export async function intakeOf(dataSource: DataSource, subject: string, policyId: string, idempotencyKey: string | undefined, mayFile: boolean): Promise<Intake | undefined> {
  const [row] = await dataSource.query<Intake[]>(
    `SELECT cu.id AS customer_id, p.id AS policy_id, p.currency, e.id AS earlier_id,
            CASE WHEN $4::boolean AND p.id IS NOT NULL AND e.id IS NULL THEN nextval('claim_reference_seq') END AS seq
       FROM customer cu
       LEFT JOIN policy p ON p.id = $2 AND p.customer_id = cu.id
       LEFT JOIN claim e ON e.customer_id = cu.id AND e.idempotency_key = $3
      WHERE cu.subject = $1`,
    [subject, policyId, idempotencyKey ?? null, mayFile],
  );
  return row;
}

export interface NewDraft {
  readonly principal: Pick<Principal, 'subject' | 'username'>;
  readonly input: CreateClaimInput;
  readonly customerId: string;
  readonly policyId: string;
  readonly currency: string;
  /** The claim number from the intake's sequence draw. */
  readonly seq: string;
  /** The year of filing (the reference's middle part). */
  readonly year: string;
  readonly idempotencyKey: string | undefined;
  readonly requestHash: string;
  /** Filed by an agent for the client during a call (default: by the client on the extranet). */
  readonly byPhone?: { readonly agent: string };
}

/**
 * Stores a draft claim in ONE statement, so in one transaction of its own:
 * the claim, its items, its first timeline entry (the trigger on claim_event
 * tells live views) and the first entry of its audit stream. The claim's id
 * is a fresh random uuid made here, so the audit entry (which names the
 * claim and its reference) is hashed before the statement and no other
 * transaction can name that stream before it commits (AuditLog.recordFirst's
 * reasoning). An entity manager in place of the data source runs it inside
 * that manager's transaction (the claims mailbox opens a draft with its
 * documents in one). The total claimed is the items' sum in integer cents. A second
 * filing with the same idempotency key fails on the claim_idempotency index
 * (23505) and writes nothing.
 */
export async function insertDraft(dataSource: Pick<EntityManager, 'query'>, draft: NewDraft): Promise<{ claimId: string }> {
  const claimId = randomUUID();
  const reference = `CLM-${draft.year}-${draft.seq.padStart(6, '0')}`;
  const itemCents = draft.input.items.map((item) => toCents(item.amount));
  const totalCents = itemCents.reduce((sum, cents) => sum + cents, 0);
  const items = draft.input.items.map((item, index) => ({
    line_number: index + 1,
    service_date: item.serviceDate,
    provider_name: item.providerName.trim(),
    provider_id: item.providerId?.trim() || null,
    care_code: item.careCode,
    description: item.description ?? null,
    invoice_number: item.invoiceNumber?.trim() || null,
    amount: decimalOfCents(itemCents[index]!),
  }));
  const audit = auditEntryValues(
    chainedEntry(draft.principal, { action: 'claim.created', entityType: 'claim', entityId: claimId, details: { reference, totalClaimed: fromCents(totalCents), items: items.length, ...(draft.byPhone ? { channel: 'phone', filedByAgent: draft.byPhone.agent } : {}) } }),
    15,
  );
  await dataSource.query(
    `WITH draft AS (
       INSERT INTO claim (id, reference, customer_id, policy_id, status, currency, total_claimed, description, idempotency_key, request_hash, version, intake_channel, filed_by_agent)
       VALUES ($1, $2, $3, $4, 'draft', $5, $6::numeric, $7, $8, $9, 1, $13, $14)
     ), lines AS (
       INSERT INTO claim_item (claim_id, line_number, service_date, provider_name, provider_id, care_code, description, invoice_number, amount, status)
       SELECT $1, i.line_number, i.service_date, i.provider_name, i.provider_id, i.care_code, i.description, i.invoice_number, i.amount, 'pending'
         FROM jsonb_to_recordset($10::jsonb) AS i(line_number integer, service_date date, provider_name text, provider_id text, care_code text, description text, invoice_number text, amount numeric(12,2))
     ), timeline AS (
       INSERT INTO claim_event (claim_id, kind, status, message, visible_to_client, actor) VALUES ($1, 'status-changed', 'draft', $11, true, $12)
     )
     INSERT INTO audit_entry (${AUDIT_ENTRY_COLUMNS}) VALUES (${audit.placeholders})`,
    [claimId, reference, draft.customerId, draft.policyId, draft.currency, decimalOfCents(totalCents), draft.input.description ?? null, draft.idempotencyKey ?? null, draft.requestHash, JSON.stringify(items), STATUS_WORDING.draft, draft.principal.username, draft.byPhone ? 'phone' : 'extranet', draft.byPhone?.agent ?? null, ...audit.params],
  );
  return { claimId };
}
