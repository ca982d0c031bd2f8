import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Customer } from './customer.entity';
import { Policy } from './policy.entity';
import { coverageOf, NOTHING_USED, policyYearOf, type Coverage, type YearUsed } from './coverage';

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

  /** The policy with its benefits, in one statement (a find with relations sends two). */
  policy(id: string): Promise<Policy | null> {
    return this.dataSource.getRepository(Policy).createQueryBuilder('p').leftJoinAndSelect('p.benefits', 'b').where('p.id = :id', { id }).getOne();
  }

  /** Coverage used and left in the policy year that contains `date`. */
  async coverage(policy: Policy, date: string): Promise<Coverage> {
    const year = policyYearOf(policy, date);
    const used = await this.usedByYear(this.dataSource.manager, policy, [date]);
    return coverageOf(policy, year, used.get(year.from) ?? NOTHING_USED);
  }

  /**
   * What the policy's claims used in the policy years of `dates`, by year
   * (keyed by the year's first day), in cents: every claim with a calculated
   * benefit counts unless it was declined or abandoned (a calculation
   * reserves its share), each line in the policy year of its item's service
   * date. `exceptClaimId` leaves out a claim being recalculated, so its new
   * figures replace its old ones. The breakdown lines the calculation wrote
   * are the source; cents are taken in SQL's exact decimal arithmetic.
   */
  async usedByYear(db: EntityManager, policy: Policy, dates: readonly string[], exceptClaimId?: string): Promise<Map<string, YearUsed>> {
    const years = dates.map((d) => policyYearOf(policy, d));
    const from = years.map((y) => y.from).sort()[0];
    const to = years.map((y) => y.to).sort().at(-1);
    const result = new Map<string, { eligibleByCare: Map<string, number>; deductible: number; paid: number }>();
    if (!from || !to) return result;
    const rows: { care_code: string; service_date: string; eligible: string; deductible: string; paid: string }[] = await db.query(
      `SELECT i.care_code, to_char(i.service_date, 'YYYY-MM-DD') AS service_date,
              (round((line->>'eligible')::numeric * 100))::bigint::text AS eligible,
              (round((line->>'deductible')::numeric * 100))::bigint::text AS deductible,
              (round((line->>'paid')::numeric * 100))::bigint::text AS paid
         FROM claim c
         CROSS JOIN LATERAL jsonb_array_elements(c.breakdown) AS line
         JOIN claim_item i ON i.id = (line->>'itemId')::uuid AND i.claim_id = c.id
        WHERE c.policy_id = $1 AND c.status NOT IN ('rejected', 'abandoned') AND c.id IS DISTINCT FROM $4::uuid
          AND i.service_date BETWEEN $2 AND $3`,
      [policy.id, from, to, exceptClaimId ?? null],
    );
    for (const row of rows) {
      const year = policyYearOf(policy, row.service_date).from;
      let used = result.get(year);
      if (!used) result.set(year, (used = { eligibleByCare: new Map(), deductible: 0, paid: 0 }));
      used.eligibleByCare.set(row.care_code, (used.eligibleByCare.get(row.care_code) ?? 0) + Number(row.eligible));
      used.deductible += Number(row.deductible);
      used.paid += Number(row.paid);
    }
    return result;
  }
}
