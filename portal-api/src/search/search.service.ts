import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IncidentWatch } from '../claims/incident-watch';
import { Problem } from '../http/problem';
import { type ClaimSearchQuery, type CustomerSearchQuery } from './search.dto';

/** Counting stops here: past it a list says "more than 1,000" (no one pages that far; counting every match of a broad filter over 100,000 claims costs more than the page). */
export const COUNT_CAP = 1_000;

/** `%` and `_` typed by staff are letters, not wildcards. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A date alone means the whole day: `submittedTo=2026-03-31` includes the 31st. */
function endOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString() : value;
}

/** Bound parameters of one SQL statement, numbered as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface ClaimRow {
  id: string;
  reference: string;
  status: string;
  route: string | null;
  currency: string;
  total_claimed: string;
  total_approved: string | null;
  submitted_at: Date;
  process_instance_key: string | null;
  customer_id: string;
  customer_name: string;
  customer_number: string;
  policy_number: string;
}

interface CustomerRow {
  id: string;
  number: string;
  full_name: string;
  email: string;
  phone: string | null;
  policy_numbers: string[];
  policies: { id: string; number: string }[];
  claims: number;
  score: number;
}

/**
 * Staff search over claims and customers, in SQL written to use the indexes
 * of the StaffSearch migration (trigram GIN for text, btree on submission
 * time per filter); `npm run bench -w portal-api` measures it over 100,000
 * claims and prints the plans.
 */
@Injectable()
export class SearchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly incidents: IncidentWatch,
  ) {}

  /**
   * The customers matching a free text, typos tolerated: their ids, for the
   * claim filter and the customer list. Each branch can use its own trigram
   * index. Emails are compared by their part before the @, so that a domain
   * every customer shares does not make every email a near match.
   */
  private customerMatch(q: string, params: Params): string {
    const text = params.add(q);
    const pattern = params.add(likePattern(q));
    const local = q.includes('@') ? q.slice(0, q.indexOf('@')) : q;
    const mailbox = local.length >= 3 && !/\s/.test(local) ? `UNION SELECT id FROM customer WHERE split_part(email, '@', 1) % ${params.add(local)}` : '';
    // Phones are stored in international form (+33612345601): the digits typed, leading zeros (national prefix) dropped.
    const digits = q.replace(/\D/g, '').replace(/^0+/, '');
    const phone = digits.length >= 6 && /^[\d\s+().-]+$/.test(q) ? `UNION SELECT id FROM customer WHERE phone LIKE ${params.add(likePattern(digits))}` : '';
    // A whole address is looked up as one (btree); a part of one by trigrams (a shared domain's trigrams would make that read every row).
    const email = q.includes('@') ? `lower(email) = lower(${text})` : `email ILIKE ${pattern}`;
    return `SELECT id FROM customer WHERE ${text} <% full_name
      UNION SELECT id FROM customer WHERE ${email}
      UNION SELECT id FROM customer WHERE number ILIKE ${pattern}
      UNION SELECT customer_id FROM policy WHERE number ILIKE ${pattern}
      ${mailbox}
      ${phone}`;
  }

  async claims(query: ClaimSearchQuery) {
    if (query.minAmount !== undefined && query.maxAmount !== undefined && query.minAmount > query.maxAmount) {
      throw Problem.invalidField('maxAmount', 'must not be below minAmount');
    }
    if (query.submittedFrom && query.submittedTo && Date.parse(query.submittedFrom) >= Date.parse(endOf(query.submittedTo))) {
      throw Problem.invalidField('submittedTo', 'must be after submittedFrom');
    }
    const client = query.client?.trim();
    if (query.client !== undefined && (client ?? '').length < 2) throw Problem.invalidField('client', 'must have at least 2 characters besides spaces');
    const params = new Params();
    // Drafts are the client's business until sent.
    const where = [`c.status <> 'draft'`];
    if (query.reference) where.push(`c.reference ILIKE ${params.add(likePattern(query.reference.trim()))}`);
    if (query.customerId) where.push(`c.customer_id = ${params.add(query.customerId)}`);
    if (client) where.push(`c.customer_id IN (${this.customerMatch(client, params)})`);
    if (query.status?.length) where.push(`c.status = ANY(${params.add(query.status)})`);
    if (query.route) where.push(`c.route = ${params.add(query.route)}`);
    if (query.submittedFrom) where.push(`c.submitted_at >= ${params.add(query.submittedFrom)}`);
    if (query.submittedTo) where.push(`c.submitted_at < ${params.add(endOf(query.submittedTo))}`);
    if (query.minAmount !== undefined) where.push(`c.total_claimed >= ${params.add(query.minAmount)}`);
    if (query.maxAmount !== undefined) where.push(`c.total_claimed <= ${params.add(query.maxAmount)}`);
    const filter = where.join(' AND ');
    const limit = query.limit ?? 25;
    const offset = query.offset ?? 0;
    const countParams = params.values.length;
    const page = `LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`;
    const [rows, [counted], stopped] = await Promise.all([
      this.dataSource.query<ClaimRow[]>(
        `SELECT c.id, c.reference, c.status, c.route, c.currency, c.total_claimed, c.total_approved, c.submitted_at, c.process_instance_key,
                cu.id AS customer_id, cu.full_name AS customer_name, cu.number AS customer_number, p.number AS policy_number
           FROM (SELECT * FROM claim c WHERE ${filter} ORDER BY c.submitted_at DESC, c.id ${page}) c
           JOIN customer cu ON cu.id = c.customer_id JOIN policy p ON p.id = c.policy_id
          ORDER BY c.submitted_at DESC, c.id`,
        params.values,
      ),
      this.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM claim c WHERE ${filter} LIMIT ${COUNT_CAP + 1}) capped`, params.values.slice(0, countParams)),
      this.incidents.instancesWithOpenIncidents(),
    ]);
    return {
      items: rows.map((row) => ({
        id: row.id,
        reference: row.reference,
        status: row.status,
        route: row.route,
        currency: row.currency,
        totalClaimed: Number(row.total_claimed),
        totalApproved: row.total_approved === null ? null : Number(row.total_approved),
        submittedAt: row.submitted_at.toISOString(),
        processInstanceKey: row.process_instance_key,
        /** Its process is stopped on an open incident. */
        incident: row.process_instance_key !== null && (stopped?.has(row.process_instance_key) ?? false),
        customer: { id: row.customer_id, name: row.customer_name, number: row.customer_number },
        policyNumber: row.policy_number,
      })),
      total: Math.min(counted.n, COUNT_CAP),
      totalCapped: counted.n > COUNT_CAP,
      offset,
      limit,
    };
  }

  async customers(query: CustomerSearchQuery) {
    const q = query.q.trim();
    if (q.length < 2) throw Problem.invalidField('q', 'must have at least 2 characters besides spaces');
    const params = new Params();
    const match = this.customerMatch(q, params);
    const text = '$1'; // customerMatch adds the text first
    const limit = query.limit ?? 25;
    const offset = query.offset ?? 0;
    // Ranked first, then the page only gets its policies and claim counts.
    const rows = await this.dataSource.query<(CustomerRow & { total: number })[]>(
      `WITH found AS (${match}),
       ranked AS (
         SELECT cu.id, cu.full_name,
                greatest(word_similarity(${text}, cu.full_name), similarity(${text}, cu.email), CASE WHEN cu.number ILIKE $2 OR cu.email ILIKE $2 THEN 1 ELSE 0 END,
                         CASE WHEN EXISTS (SELECT 1 FROM policy p WHERE p.customer_id = cu.id AND p.number ILIKE $2) THEN 1 ELSE 0 END) AS score
           FROM customer cu WHERE cu.id IN (SELECT id FROM found)),
       page AS (
         SELECT id, score, count(*) OVER ()::int AS total FROM ranked
          ORDER BY score DESC, full_name, id LIMIT ${params.add(limit)} OFFSET ${params.add(offset)})
       SELECT cu.id, cu.number, cu.full_name, cu.email, cu.phone, page.score, page.total,
              (SELECT coalesce(array_agg(p.number ORDER BY p.number), '{}') FROM policy p WHERE p.customer_id = cu.id) AS policy_numbers,
              (SELECT coalesce(json_agg(json_build_object('id', p.id, 'number', p.number) ORDER BY p.number), '[]') FROM policy p WHERE p.customer_id = cu.id) AS policies,
              (SELECT count(*)::int FROM claim c WHERE c.customer_id = cu.id AND c.status <> 'draft') AS claims
         FROM page JOIN customer cu ON cu.id = page.id
        ORDER BY page.score DESC, cu.full_name, cu.id`,
      params.values,
    );
    return {
      items: rows.map((row) => ({ id: row.id, number: row.number, name: row.full_name, email: row.email, phone: row.phone, policyNumbers: row.policy_numbers, policies: row.policies, claims: row.claims, score: Math.round(Number(row.score) * 100) / 100 })),
      total: rows[0]?.total ?? (offset > 0 ? await this.countCustomers(q) : 0),
      offset,
      limit,
    };
  }

  /** The number of matches, when the page asked for lies past them. */
  private async countCustomers(q: string): Promise<number> {
    const params = new Params();
    const [row] = await this.dataSource.query<[{ n: number }]>(`SELECT count(*)::int AS n FROM (${this.customerMatch(q, params)}) found`, params.values);
    return row.n;
  }
}
