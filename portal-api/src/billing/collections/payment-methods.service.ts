import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../../audit/audit-log';
import { type Principal } from '../../auth/principal';
import { isUuid } from '../../claims/claim-access';
import { CustomersRepository } from '../../customers/customers.repository';
import { checkedIban } from '../../customers/payment-details.service';
import { Problem } from '../../http/problem';
import { todayUtc } from '../../products/quote-dates';
import { type PaymentMethodInput, type PaymentMethodKind } from './payment-method.dto';

/** What the client (and staff) see of a payment method: never the whole IBAN or a token. */
export interface PaymentMethodView {
  readonly id: string;
  readonly policyId: string;
  readonly kind: PaymentMethodKind;
  readonly accountHolder: string | null;
  readonly ibanMasked: string | null;
  readonly mandateReference: string | null;
  readonly mandateSignedOn: string | null;
  readonly cardBrand: string | null;
  readonly cardLast4: string | null;
  readonly since: string;
}

/** What the collection worker charges: the provider's method with the whole IBAN or the token. */
export type ChargeableMethod =
  | { readonly kind: 'sepa-direct-debit'; readonly iban: string; readonly accountHolder: string; readonly mandateReference: string }
  | { readonly kind: 'card'; readonly token: string };

interface PaymentMethodRow {
  id: string;
  policy_id: string;
  kind: PaymentMethodKind;
  account_holder: string | null;
  iban: string | null;
  iban_masked: string | null;
  mandate_reference: string | null;
  mandate_signed_on: string | null;
  card_token: string | null;
  card_brand: string | null;
  card_last4: string | null;
  created_at: Date;
}

/** The columns of a payment method, dates as text (pg would turn a date into a local-time Date). */
const COLUMNS = (alias: string) =>
  ['id', 'policy_id', 'kind', 'account_holder', 'iban', 'iban_masked', 'mandate_reference', 'card_token', 'card_brand', 'card_last4', 'created_at'].map((c) => `${alias}.${c}`).join(', ') + `, ${alias}.mandate_signed_on::text AS mandate_signed_on`;

/** `DE89 •••• 3000`: the country and check digits and the last four, as banks print them. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 4)} •••• ${iban.slice(-4)}`;
}

/**
 * Payment methods per policy: one default at a time (a partial unique index
 * holds it), older ones kept (replaced) so every collection attempt still
 * names what it charged. A change holds the policy's row lock, so two at once
 * go one after the other, and is audited with masked details only.
 */
@Injectable()
export class PaymentMethodsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly audit: AuditLog,
  ) {}

  /** The default method of each of the caller's policies (policies with none are listed with null). */
  async mine(caller: Principal): Promise<{ items: { policyId: string; policyNumber: string; method: PaymentMethodView | null }[] }> {
    const customer = await this.customers.bySubject(caller.subject);
    if (!customer) return { items: [] };
    const rows = await this.dataSource.query<(PaymentMethodRow & { number: string; policy: string })[]>(
      `SELECT p.id AS policy, p.number, ${COLUMNS('m')} FROM policy p LEFT JOIN payment_method m ON m.policy_id = p.id AND m.is_default
       WHERE p.customer_id = $1 ORDER BY p.number`,
      [customer.id],
    );
    return { items: rows.map((r) => ({ policyId: r.policy, policyNumber: r.number, method: r.id ? view(r) : null })) };
  }

  /** Makes `input` the policy's default method; the same details again change nothing. */
  async replace(caller: Principal, policyId: string, input: PaymentMethodInput): Promise<{ method: PaymentMethodView; changed: boolean }> {
    const details = checkedDetails(input);
    const customer = await this.customers.bySubject(caller.subject);
    if (!customer || !isUuid(policyId)) throw Problem.notFound('policy', policyId);
    return this.dataSource.transaction(async (manager) => {
      const [policy] = await manager.query<{ id: string; number: string; customer_id: string }[]>(`SELECT id, number, customer_id FROM policy WHERE id = $1 FOR UPDATE`, [policyId]);
      if (!policy || policy.customer_id !== customer.id) throw Problem.notFound('policy', policyId);
      const current = await this.defaultRow(manager, policyId);
      if (current && sameDetails(current, details)) return { method: view(current), changed: false };
      const method = await storePaymentMethod(manager, { customerId: customer.id, policyId, policyNumber: policy.number }, details);
      await this.audit.record(manager, caller, {
        action: 'payment-method.replaced',
        entityType: 'policy',
        entityId: policyId,
        details: { kind: method.kind, before: current ? describe(view(current)) : null, after: describe(method), mandateReference: method.mandateReference },
      });
      return { method, changed: true };
    });
  }

  /** The policy's default method as the provider needs it (workers only), or null. */
  async chargeable(manager: EntityManager, policyId: string): Promise<{ id: string; method: ChargeableMethod } | null> {
    const row = await this.defaultRow(manager, policyId);
    if (!row) return null;
    if (row.kind === 'card') return { id: row.id, method: { kind: 'card', token: row.card_token! } };
    return { id: row.id, method: { kind: 'sepa-direct-debit', iban: row.iban!, accountHolder: row.account_holder!, mandateReference: row.mandate_reference! } };
  }

  async defaultView(manager: EntityManager, policyId: string): Promise<PaymentMethodView | null> {
    const row = await this.defaultRow(manager, policyId);
    return row ? view(row) : null;
  }

  private async defaultRow(manager: EntityManager, policyId: string): Promise<PaymentMethodRow | undefined> {
    const [row] = await manager.query<PaymentMethodRow[]>(`SELECT ${COLUMNS('m')} FROM payment_method m WHERE m.policy_id = $1 AND m.is_default`, [policyId]);
    return row;
  }
}

/** A payment method's details once checked: an IBAN in electronic form, a holder's name, or a provider's card token. */
export type CheckedDetails = { kind: 'sepa-direct-debit'; accountHolder: string; iban: string } | { kind: 'card'; token: string; last4: string; brand?: string };

/**
 * Makes `details` the policy's default method, the one before kept as
 * replaced, in the caller's transaction (which holds the policy's row lock).
 * A direct debit gets its mandate here: a fresh reference, signed today. The
 * client's change, a policy issued from an application that gave an account,
 * and the demo data all store a method this one way.
 */
export async function storePaymentMethod(manager: EntityManager, policy: { customerId: string; policyId: string; policyNumber: string }, details: CheckedDetails): Promise<PaymentMethodView> {
  await manager.query(`UPDATE payment_method SET is_default = false, replaced_at = now() WHERE policy_id = $1 AND is_default`, [policy.policyId]);
  const sepa = details.kind === 'sepa-direct-debit' ? details : undefined;
  const card = details.kind === 'card' ? details : undefined;
  const [row] = await manager.query<PaymentMethodRow[]>(
    `INSERT INTO payment_method (customer_id, policy_id, kind, account_holder, iban, iban_masked, mandate_reference, mandate_signed_on, card_token, card_brand, card_last4)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS('payment_method')}`,
    [
      policy.customerId,
      policy.policyId,
      details.kind,
      sepa?.accountHolder ?? null,
      sepa?.iban ?? null,
      sepa ? maskIban(sepa.iban) : null,
      sepa ? mandateReference(policy.policyNumber) : null,
      sepa ? todayUtc() : null,
      card?.token ?? null,
      card?.brand ?? null,
      card?.last4 ?? null,
    ],
  );
  return view(row!);
}

function checkedDetails(input: PaymentMethodInput): CheckedDetails {
  if (input.kind === 'card') return { kind: 'card', token: input.cardToken!, last4: input.cardLast4!, brand: input.cardBrand?.trim().toLowerCase() || undefined };
  const accountHolder = input.accountHolder!.trim();
  if (accountHolder.length < 2) throw Problem.invalidField('accountHolder', "must be the account holder's name");
  return { kind: 'sepa-direct-debit', accountHolder, iban: checkedIban(input.iban!) };
}

function sameDetails(row: PaymentMethodRow, details: CheckedDetails): boolean {
  if (details.kind === 'card') return row.kind === 'card' && row.card_token === details.token;
  return row.kind === 'sepa-direct-debit' && row.iban === details.iban && row.account_holder === details.accountHolder;
}

/** A SEPA mandate reference (at most 35 characters of the scheme's set), unique by its random part. */
function mandateReference(policyNumber: string): string {
  return `MND-${policyNumber}-${randomBytes(5).toString('hex').toUpperCase()}`.slice(0, 35);
}

function describe(method: PaymentMethodView): string {
  return method.kind === 'card' ? `card ending ${method.cardLast4}` : `direct debit ${method.ibanMasked}`;
}

function view(row: PaymentMethodRow): PaymentMethodView {
  return {
    id: row.id,
    policyId: row.policy_id,
    kind: row.kind,
    accountHolder: row.account_holder,
    ibanMasked: row.iban_masked,
    mandateReference: row.mandate_reference,
    mandateSignedOn: row.mandate_signed_on,
    cardBrand: row.card_brand,
    cardLast4: row.card_last4,
    since: new Date(row.created_at).toISOString(),
  };
}
