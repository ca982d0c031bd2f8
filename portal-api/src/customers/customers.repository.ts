import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Customer } from './customer.entity';
import { Policy } from './policy.entity';
import { coverageOf, policyYearOf, type Coverage, type YearUsage } from './coverage';

/** Customers and policies, and the usage figures coverage is computed from. */
@Injectable()
export class CustomersRepository {
  constructor(private readonly dataSource: DataSource) {}

  bySubject(subject: string): Promise<Customer | null> {
    return this.dataSource.getRepository(Customer).findOne({ where: { subject } });
  }

  byId(id: string): Promise<Customer | null> {
    return this.dataSource.getRepository(Customer).findOne({ where: { id } });
  }

  policiesOf(customerId: string): Promise<Policy[]> {
    return this.dataSource.getRepository(Policy).find({ where: { customerId }, relations: { benefits: true }, order: { startsOn: 'DESC' } });
  }

  policy(id: string): Promise<Policy | null> {
    return this.dataSource.getRepository(Policy).findOne({ where: { id }, relations: { benefits: true } });
  }

  /** Coverage used and left in the policy year that contains `date`. */
  async coverage(policy: Policy, date: string): Promise<Coverage> {
    const year = policyYearOf(policy, date);
    return coverageOf(policy, year, await this.usage(policy.id, year.from, year.to));
  }

  /**
   * Benefit paid and deductible borne, per care code, on claims of the policy
   * that were approved or paid, for care given in the policy year. The
   * breakdown lines the benefit calculation wrote are the source.
   */
  private async usage(policyId: string, from: string, to: string): Promise<YearUsage> {
    const rows: { care_code: string; paid: string; deductible: string }[] = await this.dataSource.query(
      `SELECT i.care_code, sum((line->>'paid')::numeric) AS paid, sum((line->>'deductible')::numeric) AS deductible
         FROM claim c
         CROSS JOIN LATERAL jsonb_array_elements(c.breakdown) AS line
         JOIN claim_item i ON i.id = (line->>'itemId')::uuid AND i.claim_id = c.id
        WHERE c.policy_id = $1 AND c.status IN ('approved', 'payment-pending', 'payment-failed', 'paid')
          AND i.service_date BETWEEN $2 AND $3
        GROUP BY i.care_code`,
      [policyId, from, to],
    );
    return {
      paidByCareCode: new Map(rows.map((r) => [r.care_code, Number(r.paid)])),
      deductibleUsed: rows.reduce((sum, r) => sum + Number(r.deductible), 0),
    };
  }
}
