import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { type Principal } from '../auth/principal';
import { isUuid } from '../claims/claim-access';
import { Problem } from '../http/problem';
import { type PortalSettings } from '../settings';
import { LOGGER, PORTAL_SETTINGS } from '../tokens';
import { type AdjustmentRequestInput } from './billing-staff.dto';
import { post } from './ledger-store';

export type AdjustmentStatus = 'pending' | 'approved' | 'rejected' | 'applied';

export interface AdjustmentView {
  id: string;
  policyId: string;
  policyNumber: string;
  customerId: string;
  customerName: string;
  /** The open invoice it adjusts; null for a line of the next invoice. */
  invoiceId: string | null;
  invoiceNumber: string | null;
  code: string;
  cents: number;
  currency: string;
  reason: string;
  status: AdjustmentStatus;
  requestedBy: string;
  requestedAt: string;
  /** Who approved or rejected it; null while pending or when it applied at once. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** Whether it waits for (or had) a second person's decision: it was above the threshold when asked. */
  needsApproval: boolean;
}

/** The window over which one requester's adjustments of a policy count together against the approval threshold. */
export const APPROVAL_WINDOW_DAYS = 30;

const COLUMNS = `a.id, a.policy_id AS "policyId", p.number AS "policyNumber", p.customer_id AS "customerId", c.full_name AS "customerName",
  a.invoice_id AS "invoiceId", i.number AS "invoiceNumber", a.code, a.cents::float8 AS cents, p.currency, a.reason, a.status,
  a.requested_by AS "requestedBy", a.requested_at AS "requestedAt", a.approved_by AS "decidedBy", a.decided_at AS "decidedAt"`;
const FROM = `FROM manual_adjustment a JOIN policy p ON p.id = a.policy_id JOIN customer c ON c.id = p.customer_id LEFT JOIN invoice i ON i.id = a.invoice_id`;

/**
 * Manual adjustments of what a client is billed, as staff make them on the
 * client's request (a goodwill gesture, a fee waived). Up to the threshold
 * setting (either sign, summed with what the same person adjusted alone on
 * the policy in the last 30 days) one person's word is enough and it
 * applies at once; above, it waits for a manager who is not the one who asked (the API
 * refuses with 403, the table's CHECK as well). Applied to an open invoice it
 * raises or lowers that invoice and posts `invoice-adjusted` once, by the
 * key `adjustment:<id>`; with no invoice named, the next billing run prints
 * it as a line (and posts it with the invoice). Every step is audited on the
 * policy's chain.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(PORTAL_SETTINGS) private readonly settings: PortalSettings,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async request(staff: Principal, input: AdjustmentRequestInput, idempotencyKey: string): Promise<{ adjustment: AdjustmentView; replayed: boolean }> {
    const key = `adjustment-request:${staff.username}:${idempotencyKey}`;
    const code = input.code ?? 'manual-adjustment';
    try {
      return await this.dataSource.transaction(async (manager) => {
        const earlier = await this.byKey(manager, key);
        if (earlier) return { adjustment: this.sameRequest(earlier, input, code), replayed: true };
        // Locked against other adjustment requests of the policy: two small ones at once must see each other in the window's sum.
        const [policy] = await manager.query<{ id: string }[]>(`SELECT id FROM policy WHERE id = $1 FOR NO KEY UPDATE`, [input.policyId]);
        if (!policy) throw Problem.notFound('policy', input.policyId);
        if (input.invoiceId !== undefined) await this.lockOpenInvoice(manager, input.policyId, input.invoiceId, input.cents);
        const alreadyAlone = await this.appliedAloneCents(manager, input.policyId, staff.username);
        const needsApproval = alreadyAlone + Math.abs(input.cents) > this.settings.adjustmentApprovalCents;
        const [row] = await manager.query<{ id: string }[]>(
          `INSERT INTO manual_adjustment (policy_id, invoice_id, code, cents, reason, status, requested_by, idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [input.policyId, input.invoiceId ?? null, code, input.cents, input.reason, needsApproval ? 'pending' : 'approved', staff.username, key],
        );
        const id = row!.id;
        await this.audit.record(manager, staff, { action: 'billing.adjustment-requested', entityType: 'policy', entityId: input.policyId, details: { adjustmentId: id, invoiceId: input.invoiceId ?? null, cents: input.cents, code, reason: input.reason, needsApproval } });
        if (!needsApproval && input.invoiceId !== undefined) await this.apply(manager, staff, id);
        this.logger.info({ adjustmentId: id, policyId: input.policyId, cents: input.cents, needsApproval }, 'billing adjustment requested');
        return { adjustment: (await this.view(manager, id))!, replayed: false };
      });
    } catch (error) {
      // The same key sent twice at once: the second insert loses on the unique key and answers the first.
      if ((error as { code?: string }).code !== '23505') throw error;
      const earlier = await this.byKey(this.dataSource.manager, key);
      if (!earlier) throw error;
      return { adjustment: this.sameRequest(earlier, input, code), replayed: true };
    }
  }

  /** A manager's decision on a pending adjustment; never the requester's own. */
  async decide(staff: Principal, id: string, decision: 'approve' | 'reject'): Promise<AdjustmentView> {
    if (!isUuid(id)) throw Problem.notFound('adjustment', id);
    return this.dataSource.transaction(async (manager) => {
      const [row] = await manager.query<{ id: string; status: AdjustmentStatus; requested_by: string; policy_id: string; invoice_id: string | null; cents: number }[]>(
        `SELECT id, status, requested_by, policy_id, invoice_id, cents::float8 AS cents FROM manual_adjustment WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!row) throw Problem.notFound('adjustment', id);
      if (row.requested_by === staff.username) throw Problem.forbidden(`Adjustment ${id} was requested by you: a different manager decides it.`);
      if (row.status !== 'pending') throw Problem.conflict(`Adjustment ${id} is ${row.status}: it was decided already.`);
      if (decision === 'approve' && row.invoice_id !== null) await this.lockOpenInvoice(manager, row.policy_id, row.invoice_id, row.cents);
      await manager.query(`UPDATE manual_adjustment SET status = $2, approved_by = $3, decided_at = now() WHERE id = $1`, [id, decision === 'approve' ? 'approved' : 'rejected', staff.username]);
      await this.audit.record(manager, staff, { action: decision === 'approve' ? 'billing.adjustment-approved' : 'billing.adjustment-rejected', entityType: 'policy', entityId: row.policy_id, details: { adjustmentId: id, cents: row.cents, requestedBy: row.requested_by } });
      if (decision === 'approve' && row.invoice_id !== null) await this.apply(manager, staff, id);
      this.logger.info({ adjustmentId: id, decision, decidedBy: staff.username }, 'billing adjustment decided');
      return (await this.view(manager, id))!;
    });
  }

  /** The approvals queue (pending, oldest first) or any other status, newest first. */
  async list(status: AdjustmentStatus | undefined, policyIds?: readonly string[]): Promise<AdjustmentView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (status) where.push(`a.status = $${params.push(status)}`);
    if (policyIds) where.push(`a.policy_id = ANY($${params.push(policyIds)}::uuid[])`);
    const order = status === 'pending' ? 'a.requested_at, a.id' : 'a.requested_at DESC, a.id';
    const rows = await this.dataSource.query<Omit<AdjustmentView, 'needsApproval'>[]>(`SELECT ${COLUMNS} ${FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT 200`, params);
    return rows.map((row) => this.withApproval(row));
  }

  /** Raises or lowers the open invoice and posts the entry; the adjustment row is locked by the caller. */
  private async apply(manager: EntityManager, staff: Principal, id: string): Promise<void> {
    const [row] = await manager.query<{ invoice_id: string; cents: number; policy_id: string; number: string }[]>(
      `SELECT a.invoice_id, a.cents::float8 AS cents, a.policy_id, i.number FROM manual_adjustment a JOIN invoice i ON i.id = a.invoice_id WHERE a.id = $1`,
      [id],
    );
    await manager.query(
      `UPDATE invoice SET adjusted_cents = adjusted_cents + $2,
              status = CASE WHEN total_cents + adjusted_cents + $2 - credited_cents - amount_paid_cents - written_off_cents > 0 THEN 'open'
                            WHEN amount_paid_cents = 0 THEN 'void' ELSE 'paid' END
        WHERE id = $1`,
      [row!.invoice_id, row!.cents],
    );
    await manager.query(`UPDATE manual_adjustment SET status = 'applied', billed_invoice_id = invoice_id WHERE id = $1`, [id]);
    await post(manager, { kind: 'invoice-adjusted', key: `adjustment:${id}`, reference: row!.number, cents: row!.cents });
    await this.audit.record(manager, staff, { action: 'billing.adjustment-applied', entityType: 'policy', entityId: row!.policy_id, details: { adjustmentId: id, invoiceId: row!.invoice_id, cents: row!.cents } });
  }

  /**
   * What the requester moved on the policy on their own word (no second
   * person) in the last APPROVAL_WINDOW_DAYS, both signs counted: the
   * threshold holds for that sum, so a large adjustment split into small
   * ones (or a raise and a cut that cancel out) still reaches a manager.
   */
  private async appliedAloneCents(manager: EntityManager, policyId: string, requester: string): Promise<number> {
    const [row] = await manager.query<{ cents: string }[]>(
      `SELECT coalesce(sum(abs(cents)), 0)::text AS cents FROM manual_adjustment
        WHERE policy_id = $1 AND requested_by = $2 AND approved_by IS NULL AND status IN ('approved', 'applied')
          AND requested_at > now() - make_interval(days => $3)`,
      [policyId, requester, APPROVAL_WINDOW_DAYS],
    );
    return Number(row!.cents);
  }

  /** The invoice, locked: the policy's, open, and not taken below nothing by a reduction. */
  private async lockOpenInvoice(manager: EntityManager, policyId: string, invoiceId: string, cents: number): Promise<void> {
    const [invoice] = await manager.query<{ status: string; open: number; number: string }[]>(
      `SELECT status, amount_open_cents::float8 AS open, number FROM invoice WHERE id = $1 AND policy_id = $2 FOR UPDATE`,
      [invoiceId, policyId],
    );
    if (!invoice) throw Problem.unprocessable(`Invoice ${invoiceId} is not an invoice of policy ${policyId}.`, [{ name: 'invoiceId', reason: 'must be an invoice of the policy' }]);
    if (invoice.status !== 'open') throw Problem.conflict(`Invoice ${invoice.number} is ${invoice.status}: only an open invoice is adjusted; leave invoiceId out to adjust the next one.`);
    if (invoice.open + cents < 0) throw Problem.unprocessable(`Invoice ${invoice.number} has ${invoice.open} cents open: it cannot be lowered by ${-cents}.`, [{ name: 'cents', reason: `must not lower the invoice below what is open (${invoice.open} cents)` }]);
  }

  private async byKey(manager: EntityManager, key: string): Promise<AdjustmentView | undefined> {
    const [row] = await manager.query<Omit<AdjustmentView, 'needsApproval'>[]>(`SELECT ${COLUMNS} ${FROM} WHERE a.idempotency_key = $1`, [key]);
    return row && this.withApproval(row);
  }

  private async view(manager: EntityManager, id: string): Promise<AdjustmentView | undefined> {
    const [row] = await manager.query<Omit<AdjustmentView, 'needsApproval'>[]>(`SELECT ${COLUMNS} ${FROM} WHERE a.id = $1`, [id]);
    return row && this.withApproval(row);
  }

  private withApproval(row: Omit<AdjustmentView, 'needsApproval'>): AdjustmentView {
    return { ...row, requestedAt: new Date(row.requestedAt).toISOString(), decidedAt: row.decidedAt && new Date(row.decidedAt).toISOString(), needsApproval: row.status === 'pending' || row.decidedBy !== null };
  }

  /** A key stands for one request: the same key with another amount, invoice or reason is refused. */
  private sameRequest(earlier: AdjustmentView, input: AdjustmentRequestInput, code: string): AdjustmentView {
    if (earlier.policyId !== input.policyId || earlier.invoiceId !== (input.invoiceId ?? null) || earlier.cents !== input.cents || earlier.code !== code || earlier.reason !== input.reason) {
      throw Problem.unprocessable('Idempotency-Key was already used for a different adjustment. Use a new key for a new request.', [{ name: 'Idempotency-Key', reason: 'was used for a different request' }]);
    }
    return earlier;
  }
}
