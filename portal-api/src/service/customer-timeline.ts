import { type EntityManager } from 'typeorm';
import { Problem } from '../http/problem';

/**
 * One entry of a customer's timeline: anything that happened with them, from
 * any part of the system, in the same shape so that one page can list them
 * newest first.
 */
export interface TimelineEntry {
  readonly at: string;
  /** What kind of thing happened: `interaction`, `follow-up-due`, `claim-status`, `document`, `policy-status`… */
  readonly kind: string;
  /** The row it comes from (unique within its kind). */
  readonly id: string;
  readonly title: string;
  readonly detail: string | null;
  /** What to open for more: a claim, a policy, an interaction, a follow-up. */
  readonly link: { readonly type: string; readonly id: string } | null;
}

/**
 * A part of the system that adds entries to the customer timeline: a SELECT
 * for the customer `$1` answering the columns
 * `at timestamptz, kind text, id text, title text, detail text, link_type text, link_id text`.
 * The sources are joined in SQL, so a page of the timeline is one statement
 * whatever their number, and pages are cut by (at, kind, id).
 *
 * Billing (invoices, arrears) is not among them yet: its tables are built on
 * another branch. Its source is added to CUSTOMER_TIMELINE_SOURCES once they
 * exist (see the README, "Customer service").
 */
export interface CustomerTimelineSource {
  readonly name: string;
  readonly sql: string;
}

export const INTERACTION_SOURCE: CustomerTimelineSource = {
  name: 'interactions',
  // Each interaction as it reads now: the latest of the original and its corrections, at the original's time.
  sql: `SELECT DISTINCT ON (coalesce(i.corrects_id, i.id)) i.occurred_at AS at, 'interaction' AS kind, coalesce(i.corrects_id, i.id)::text AS id,
               initcap(i.channel) || CASE i.direction WHEN 'in' THEN ' from the customer' ELSE ' to the customer' END || ': ' || i.summary AS title,
               concat_ws(' · ', i.outcome, i.notes, 'by ' || i.agent_name, CASE WHEN i.corrects_id IS NOT NULL THEN 'corrected' END) AS detail,
               'interaction' AS link_type, coalesce(i.corrects_id, i.id)::text AS link_id
          FROM customer_interaction i WHERE i.customer_id = $1
         ORDER BY coalesce(i.corrects_id, i.id), i.created_at DESC, i.id DESC`,
};

export const FOLLOW_UP_SOURCE: CustomerTimelineSource = {
  name: 'follow-ups',
  sql: `SELECT f.created_at AS at, 'follow-up' AS kind, f.id::text AS id,
               'Follow-up due ' || to_char(f.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC for ' || coalesce(f.assignee_agent, 'the ' || f.assignee_team || ' team') AS title,
               NULL AS detail, 'follow-up' AS link_type, f.id::text AS link_id
          FROM follow_up f WHERE f.customer_id = $1
        UNION ALL
        SELECT f.escalated_at, 'follow-up-escalated', f.id::text, 'Follow-up missed, escalated to the team leads', NULL, 'follow-up', f.id::text
          FROM follow_up f WHERE f.customer_id = $1 AND f.escalated_at IS NOT NULL
        UNION ALL
        SELECT f.closed_at, 'follow-up-' || f.status, f.id::text,
               CASE f.status WHEN 'done' THEN 'Follow-up closed' ELSE 'Follow-up cancelled' END, concat_ws(' · ', f.outcome, 'by ' || f.closed_by), 'follow-up', f.id::text
          FROM follow_up f WHERE f.customer_id = $1 AND f.closed_at IS NOT NULL`,
};

export const CLAIM_SOURCE: CustomerTimelineSource = {
  name: 'claims',
  // Status changes only: the claim's own page has the rest of its story.
  sql: `SELECT e.at, 'claim-status' AS kind, e.id::text AS id, 'Claim ' || c.reference || ': ' || e.status AS title,
               CASE WHEN e.status = 'draft' AND c.intake_channel = 'phone' THEN 'filed by phone by ' || c.filed_by_agent END AS detail,
               'claim' AS link_type, c.id::text AS link_id
          FROM claim_event e JOIN claim c ON c.id = e.claim_id
         WHERE c.customer_id = $1 AND e.kind = 'status-changed' AND e.status IS NOT NULL`,
};

export const DOCUMENT_SOURCE: CustomerTimelineSource = {
  name: 'documents',
  // The kind of document only: what it holds (often medical) is for the staff who may read documents.
  sql: `SELECT d.created_at AS at, 'document' AS kind, d.id::text AS id, 'Document received: ' || d.type AS title,
               'claim ' || c.reference AS detail, 'claim' AS link_type, c.id::text AS link_id
          FROM document d JOIN claim c ON c.id = d.claim_id WHERE c.customer_id = $1`,
};

export const POLICY_SOURCE: CustomerTimelineSource = {
  name: 'policies',
  sql: `SELECT s.recorded_at AS at, 'policy-status' AS kind, s.id::text AS id, 'Policy ' || p.number || ': ' || s.status || ' from ' || to_char(s.effective_from, 'YYYY-MM-DD') AS title,
               s.reason AS detail, 'policy' AS link_type, p.id::text AS link_id
          FROM policy_status_period s JOIN policy p ON p.id = s.policy_id WHERE p.customer_id = $1`,
};

/** Every source of the timeline. Billing's (invoices, arrears) joins here when its tables are merged. */
export const CUSTOMER_TIMELINE_SOURCES: readonly CustomerTimelineSource[] = [INTERACTION_SOURCE, FOLLOW_UP_SOURCE, CLAIM_SOURCE, DOCUMENT_SOURCE, POLICY_SOURCE];

export interface TimelinePage {
  readonly items: TimelineEntry[];
  /** Give it back as `before` for the next (older) page; null on the last page. */
  readonly next: string | null;
}

interface Cursor {
  readonly at: string;
  readonly kind: string;
  readonly id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.kind, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [at, kind, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof kind === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(at))) return { at, kind, id };
  } catch {
    // Falls through to the refusal below.
  }
  throw Problem.invalidField('before', 'must be the `next` of an earlier timeline page');
}

/**
 * One page of the customer's timeline, newest first: the sources in one
 * UNION ALL, cut after the cursor. Ties in time are ordered by kind and id,
 * so no entry is skipped or shown twice across pages. The cursor keeps
 * PostgreSQL's own text of the time (microseconds), not a JavaScript Date.
 */
export async function timelinePage(manager: EntityManager, customerId: string, options: { limit: number; before?: string }, sources: readonly CustomerTimelineSource[] = CUSTOMER_TIMELINE_SOURCES): Promise<TimelinePage> {
  const cursor = options.before ? decodeCursor(options.before) : undefined;
  const union = sources.map((source) => `(${source.sql})`).join('\n UNION ALL \n');
  const rows = await manager.query<{ at: Date; at_text: string; kind: string; id: string; title: string; detail: string | null; link_type: string | null; link_id: string | null }[]>(
    `SELECT t.at, t.at::text AS at_text, t.kind, t.id, t.title, t.detail, t.link_type, t.link_id
       FROM (${union}) AS t (at, kind, id, title, detail, link_type, link_id)
      WHERE $2::timestamptz IS NULL OR (t.at, t.kind, t.id) < ($2::timestamptz, $3::text, $4::text)
      ORDER BY t.at DESC, t.kind DESC, t.id DESC
      LIMIT $5`,
    [customerId, cursor?.at ?? null, cursor?.kind ?? null, cursor?.id ?? null, options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({ at: new Date(row.at).toISOString(), kind: row.kind, id: row.id, title: row.title, detail: row.detail || null, link: row.link_type && row.link_id ? { type: row.link_type, id: row.link_id } : null })),
    next: rows.length > options.limit && last ? encodeCursor({ at: last.at_text, kind: last.kind, id: last.id }) : null,
  };
}
