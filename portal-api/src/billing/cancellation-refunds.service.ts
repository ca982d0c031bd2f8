import { Inject, Injectable } from '@nestjs/common';
import { type Logger } from 'pino';
import { type EntityManager } from 'typeorm';
import { EngineClient, engineProblem } from '../engine/engine-client';
import { Problem } from '../http/problem';
import { LOGGER } from '../tokens';
import { cancellableInvoices, type CancellationCredit, creditCancellation } from './cancellation-credit';
import { type CancellationReason, daysInForce, monthsInForce, type RefundRule, refundRuleOf } from './refund-calculation';

/** The decision the analyst edits in the modeler: bpmn/cancellation-refund.dmn. */
export const CANCELLATION_REFUND_DECISION_ID = 'cancellation-refund';

/** The variables the portal passes (kept in step with deployments/provided-variables.ts). */
export interface CancellationRefundVariables {
  daysInForce: number;
  monthsInForce: number;
  cancellationReason: CancellationReason;
  productCode: string;
}

/**
 * What a cancellation gives back, in the cancellation's transaction: the
 * deployed decision chooses the method (asked only when an invoice of the
 * policy is open or paid, so policies never billed cancel without the
 * engine), then `creditCancellation` issues the credit notes,
 * posts them and opens the refunds.
 */
@Injectable()
export class CancellationRefunds {
  constructor(
    private readonly engine: EngineClient,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onCancellation(manager: EntityManager, policy: { id: string; number: string; startsOn: string; productVersionId: string | null }, cancelledFrom: string, reason: CancellationReason, issuedOn: string): Promise<CancellationCredit | null> {
    const invoices = await cancellableInvoices(manager, policy.id);
    if (invoices.length === 0) return null;
    const days = daysInForce(policy.startsOn, cancelledFrom);
    const [product] = policy.productVersionId === null ? [] : await manager.query<{ code: string }[]>(`SELECT p.code FROM product_version v JOIN product p ON p.id = v.product_id WHERE v.id = $1`, [policy.productVersionId]);
    // Asked under the policy's lock: the invoices it credits cannot change meanwhile.
    const rule = await this.decide({ daysInForce: days, monthsInForce: monthsInForce(policy.startsOn, cancelledFrom), cancellationReason: reason, productCode: product?.code ?? '' });
    const credit = await creditCancellation(manager, policy.id, cancelledFrom, issuedOn, rule);
    this.logger.info({ policyId: policy.id, method: rule.method, creditCents: credit.calculation.creditCents, refundCents: credit.calculation.refundCents, creditNotes: credit.creditNotes.length }, 'cancellation credited');
    return credit;
  }

  private async decide(variables: CancellationRefundVariables): Promise<RefundRule> {
    let answer: { output: string; failureMessage?: string };
    try {
      answer = await this.engine.call('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: CANCELLATION_REFUND_DECISION_ID, variables });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw new Problem(503, 'Service unavailable', 'The policy cannot be cancelled yet: the cancellation refund table is not deployed.');
      throw engineProblem(error, 'Deciding the cancellation refund failed');
    }
    if (answer.failureMessage) throw new Problem(500, 'Internal server error', `The cancellation refund table could not decide: ${answer.failureMessage}`);
    const output: unknown = JSON.parse(answer.output === '' ? 'null' : answer.output);
    if (output === null) throw Problem.unprocessable(`The cancellation refund table has no rule for a cancellation for ${variables.cancellationReason} after ${variables.daysInForce} days.`, [{ name: 'cancellationReason', reason: 'has no refund rule' }]);
    try {
      return refundRuleOf(output);
    } catch (error) {
      throw new Problem(500, 'Internal server error', `The cancellation refund table answered what cannot be refunded: ${(error as Error).message}`);
    }
  }
}
