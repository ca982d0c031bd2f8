import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { Problem } from '../http/problem';

export const INTERACTION_CHANNELS = ['call', 'email', 'chat', 'letter', 'sms'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];
export const INTERACTION_DIRECTIONS = ['in', 'out'] as const;
export type InteractionDirection = (typeof INTERACTION_DIRECTIONS)[number];

/** One contact with a customer, as logged (staff only: `notes` never reach the client). */
export interface Interaction {
  readonly id: string;
  readonly customerId: string;
  readonly channel: InteractionChannel;
  readonly direction: InteractionDirection;
  readonly summary: string;
  readonly notes: string | null;
  readonly outcome: string | null;
  readonly claimId: string | null;
  readonly policyId: string | null;
  readonly agent: string;
  readonly occurredAt: Date;
  readonly createdAt: Date;
  /** The interaction this row puts right (an edit is a new row, never a change). */
  readonly correctsId: string | null;
}

/** An interaction as it reads now: the latest correction's content at the original's id and time. */
export interface CurrentInteraction extends Interaction {
  readonly corrected: boolean;
}

export interface InteractionInput {
  readonly customerId: string;
  readonly channel: InteractionChannel;
  readonly direction: InteractionDirection;
  readonly summary: string;
  readonly notes?: string | null;
  readonly outcome?: string | null;
  readonly claimId?: string | null;
  readonly policyId?: string | null;
  /** When the contact happened (default: now); a mail's Date header, a call's start. */
  readonly occurredAt?: Date;
  /** The same key for the same contact answers the row written the first time (a retry, a mail read twice). */
  readonly idempotencyKey?: string;
  readonly correctsId?: string | null;
}

interface InteractionRow {
  id: string;
  customer_id: string;
  channel: InteractionChannel;
  direction: InteractionDirection;
  summary: string;
  notes: string | null;
  outcome: string | null;
  claim_id: string | null;
  policy_id: string | null;
  agent_name: string;
  occurred_at: Date;
  created_at: Date;
  corrects_id: string | null;
}

const COLUMNS = 'id, customer_id, channel, direction, summary, notes, outcome, claim_id, policy_id, agent_name, occurred_at, created_at, corrects_id';

/**
 * The interaction log: every contact with a customer, on any channel. Callers
 * that write something else about the same contact (a phone claim, a mail
 * attached to a claim, a follow-up) call `log` with their own transaction's
 * manager, so the contact and what came of it commit together or not at all.
 * Each row starts an audit stream of its own; a correction is audited on the
 * stream of the original it corrects.
 */
@Injectable()
export class InteractionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Logs a contact in the caller's transaction. A linked claim or policy must
   * be the customer's; a correction must name an interaction of the same
   * customer. Answers `replayed` when the idempotency key was used before.
   */
  async log(manager: EntityManager, actor: Pick<Principal, 'subject' | 'username'>, input: InteractionInput): Promise<{ interaction: Interaction; replayed: boolean }> {
    if (input.idempotencyKey !== undefined) {
      const earlier = await this.byKey(manager, input.customerId, input.idempotencyKey);
      if (earlier) return { interaction: await this.sameContact(manager, earlier, input), replayed: true };
    }
    const original = await this.checkLinks(manager, input);
    const id = randomUUID();
    // A correction points at the original (never at another correction) and keeps its time: chains stay one step deep.
    const rows = await manager.query<InteractionRow[]>(
      `INSERT INTO customer_interaction (id, customer_id, channel, direction, summary, notes, outcome, claim_id, policy_id, agent_subject, agent_name, occurred_at, corrects_id, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT (customer_id, idempotency_key) DO NOTHING
       RETURNING ${COLUMNS}`,
      [id, input.customerId, input.channel, input.direction, input.summary, input.notes ?? null, input.outcome ?? null, input.claimId ?? null, input.policyId ?? null, actor.subject, actor.username, original?.occurredAt ?? input.occurredAt ?? new Date(), original?.id ?? null, input.idempotencyKey ?? null],
    );
    const row = rows[0];
    if (!row) {
      // Another transaction with the same key committed between our look and our insert.
      const earlier = await this.byKey(manager, input.customerId, input.idempotencyKey!);
      return { interaction: await this.sameContact(manager, earlier!, input), replayed: true };
    }
    const details = { customerId: input.customerId, channel: input.channel, direction: input.direction, claimId: row.claim_id, policyId: row.policy_id };
    if (original) await this.audit.record(manager, actor, { action: 'interaction.corrected', entityType: 'interaction', entityId: original.id, details: { ...details, correctionId: row.id } });
    else await this.audit.recordFirst(manager, actor, { action: 'interaction.logged', entityType: 'interaction', entityId: row.id, details });
    return { interaction: toInteraction(row), replayed: false };
  }

  /** Logs a contact in a transaction of its own. */
  logAlone(actor: Pick<Principal, 'subject' | 'username'>, input: InteractionInput): Promise<{ interaction: Interaction; replayed: boolean }> {
    return this.dataSource.transaction((manager) => this.log(manager, actor, input));
  }

  /**
   * The customer's interactions as they read now, newest first: a corrected
   * row is replaced by its latest correction (which keeps the original's time).
   */
  async current(manager: EntityManager, customerId: string): Promise<CurrentInteraction[]> {
    const rows = await manager.query<InteractionRow[]>(`SELECT ${COLUMNS} FROM customer_interaction WHERE customer_id = $1 ORDER BY created_at, id`, [customerId]);
    return currentInteractions(rows.map(toInteraction));
  }

  async find(manager: EntityManager, customerId: string, id: string): Promise<Interaction | null> {
    const [row] = await manager.query<InteractionRow[]>(`SELECT ${COLUMNS} FROM customer_interaction WHERE customer_id = $1 AND id = $2`, [customerId, id]);
    return row ? toInteraction(row) : null;
  }

  private async byKey(manager: EntityManager, customerId: string, key: string): Promise<Interaction | null> {
    const [row] = await manager.query<InteractionRow[]>(`SELECT ${COLUMNS} FROM customer_interaction WHERE customer_id = $1 AND idempotency_key = $2`, [customerId, key]);
    return row ? toInteraction(row) : null;
  }

  /**
   * A key used again must come with the same contact: the row written the
   * first time is the request as it was (its content, its links, what it
   * corrects, and its time when the retry gives one), so a different body is
   * refused rather than answered with the earlier row.
   */
  private async sameContact(manager: EntityManager, earlier: Interaction, input: InteractionInput): Promise<Interaction> {
    let correctsId: string | null = null;
    if (input.correctsId) {
      const [found] = await manager.query<{ root: string }[]>('SELECT coalesce(corrects_id, id) AS root FROM customer_interaction WHERE id = $1 AND customer_id = $2', [input.correctsId, input.customerId]);
      correctsId = found?.root ?? input.correctsId;
    }
    // A correction keeps the original's time, whatever it was given.
    const asked = contactOf({ ...input, correctsId, occurredAt: correctsId || !input.occurredAt ? earlier.occurredAt : input.occurredAt });
    if (!isDeepStrictEqual(asked, contactOf(earlier))) {
      throw Problem.unprocessable(`Idempotency-Key "${input.idempotencyKey}" was already used for interaction ${earlier.id} with a different request. Use a new key for a new contact.`, [{ name: 'Idempotency-Key', reason: 'was used for a different request' }]);
    }
    return earlier;
  }

  /** Checks what the input names; answers the original a correction puts right. */
  private async checkLinks(manager: EntityManager, input: InteractionInput): Promise<{ id: string; occurredAt: Date } | undefined> {
    const [found] = await manager.query<{ customer: boolean; claim: boolean; policy: boolean; original_id: string | null; original_at: Date | null }[]>(
      `SELECT EXISTS (SELECT 1 FROM customer WHERE id = $1) AS customer,
              ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM claim WHERE id = $2 AND customer_id = $1)) AS claim,
              ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM policy WHERE id = $3 AND customer_id = $1)) AS policy,
              o.id AS original_id, o.occurred_at AS original_at
         FROM (SELECT 1) one
         LEFT JOIN customer_interaction c ON c.id = $4::uuid AND c.customer_id = $1
         LEFT JOIN customer_interaction o ON o.id = coalesce(c.corrects_id, c.id)`,
      [input.customerId, input.claimId ?? null, input.policyId ?? null, input.correctsId ?? null],
    );
    if (!found!.customer) throw Problem.notFound('customer', input.customerId);
    if (!found!.claim) throw Problem.invalidField('claimId', "is not one of this customer's claims");
    if (!found!.policy) throw Problem.invalidField('policyId', "is not one of this customer's policies");
    if (input.correctsId && !found!.original_id) throw Problem.invalidField('correctsId', "is not one of this customer's interactions");
    return found!.original_id ? { id: found!.original_id, occurredAt: new Date(found!.original_at!) } : undefined;
  }
}

/** What a request to log a contact asks for, as the row keeps it (absent and null alike). */
function contactOf(contact: Omit<InteractionInput, 'idempotencyKey'> & { occurredAt: Date }) {
  return {
    channel: contact.channel,
    direction: contact.direction,
    summary: contact.summary,
    notes: contact.notes ?? null,
    outcome: contact.outcome ?? null,
    claimId: contact.claimId ?? null,
    policyId: contact.policyId ?? null,
    correctsId: contact.correctsId ?? null,
    occurredAt: contact.occurredAt.getTime(),
  };
}

function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    customerId: row.customer_id,
    channel: row.channel,
    direction: row.direction,
    summary: row.summary,
    notes: row.notes,
    outcome: row.outcome,
    claimId: row.claim_id,
    policyId: row.policy_id,
    agent: row.agent_name,
    occurredAt: new Date(row.occurred_at),
    createdAt: new Date(row.created_at),
    correctsId: row.corrects_id,
  };
}

/**
 * Folds corrections into what they correct, rows given in the order written:
 * each chain shows its latest row's content at the first row's id and time,
 * newest contact first.
 */
export function currentInteractions(rows: readonly Interaction[]): CurrentInteraction[] {
  const rootOf = new Map<string, string>();
  const latest = new Map<string, Interaction>();
  const originals = new Map<string, Interaction>();
  for (const row of rows) {
    const root = row.correctsId ? (rootOf.get(row.correctsId) ?? row.correctsId) : row.id;
    rootOf.set(row.id, root);
    if (!row.correctsId) originals.set(row.id, row);
    latest.set(root, row);
  }
  return [...originals.values()]
    .map((original): CurrentInteraction => {
      const last = latest.get(original.id)!;
      return { ...last, id: original.id, occurredAt: original.occurredAt, createdAt: original.createdAt, correctsId: null, corrected: last !== original };
    })
    .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : -1));
}
