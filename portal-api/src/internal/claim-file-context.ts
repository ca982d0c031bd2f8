import { type EntityManager } from 'typeorm';
import { type ClaimDocument } from '../documents/document.entity';
import { type PolicyStatus } from '../customers/policy.entity';

/** What a claim file shows beside the claim and its policy: the customer, the documents, the policy's state history and terms. */
export interface ClaimFileContext {
  readonly customer: { readonly id: string; readonly fullName: string; readonly email: string; readonly phone: string | null; readonly hasPaymentDetails: boolean } | null;
  /** Shaped as the entities `documentView` takes (dates as Date). */
  readonly documents: ClaimDocument[];
  readonly statusPeriods: { readonly status: PolicyStatus; readonly effectiveFrom: string; readonly effectiveTo: string | null }[];
  /** The policy's versions, oldest first, with what `policyWithTermsOn` reads of them. */
  readonly versions: { readonly effectiveFrom: string; readonly effectiveTo: string | null; readonly annualDeductibleCents: number }[];
}

// An instant as JavaScript's toISOString writes it (UTC, milliseconds), so the views answer what they answered from entities.
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The claim file's context in one statement instead of four (a worker reads
 * a claim file at most steps, so each statement saved is saved several times a
 * claim). Documents are ordered by when they were added.
 */
export async function readClaimFileContext(db: EntityManager, claim: { readonly id: string; readonly customerId: string; readonly policyId: string }): Promise<ClaimFileContext> {
  const [row] = await db.query<{ customer: ClaimFileContext['customer']; documents: (Omit<ClaimDocument, 'createdAt' | 'versions'> & { createdAt: string; versions: { uploadedAt: string }[] })[]; status_periods: ClaimFileContext['statusPeriods']; versions: ClaimFileContext['versions'] }[]>(
    `SELECT
       (SELECT json_build_object('id', cu.id, 'fullName', cu.full_name, 'email', cu.email, 'phone', cu.phone, 'hasPaymentDetails', coalesce(cu.iban, '') <> '')
          FROM customer cu WHERE cu.id = $2) AS customer,
       (SELECT coalesce(json_agg(json_build_object('id', d.id, 'claimId', d.claim_id, 'type', d.type, 'name', d.name, 'currentVersion', d.current_version, 'createdAt', ${iso('d.created_at')}, 'createdBy', d.created_by,
                 'versions', (SELECT coalesce(json_agg(json_build_object('documentId', v.document_id, 'version', v.version, 'mediaType', v.media_type, 'size', v.size, 'sha256', v.sha256, 'fileName', v.file_name, 'uploadedAt', ${iso('v.uploaded_at')}, 'uploadedBy', v.uploaded_by) ORDER BY v.version), '[]')
                                FROM document_version v WHERE v.document_id = d.id)) ORDER BY d.created_at, d.id), '[]')
          FROM document d WHERE d.claim_id = $1) AS documents,
       (SELECT coalesce(json_agg(json_build_object('status', s.status, 'effectiveFrom', to_char(s.effective_from, 'YYYY-MM-DD'), 'effectiveTo', to_char(s.effective_to, 'YYYY-MM-DD')) ORDER BY s.effective_from), '[]')
          FROM policy_status_period s WHERE s.policy_id = $3) AS status_periods,
       (SELECT coalesce(json_agg(json_build_object('effectiveFrom', to_char(v.effective_from, 'YYYY-MM-DD'), 'effectiveTo', to_char(v.effective_to, 'YYYY-MM-DD'), 'annualDeductibleCents', v.annual_deductible_cents) ORDER BY v.effective_from), '[]')
          FROM policy_version v WHERE v.policy_id = $3) AS versions`,
    [claim.id, claim.customerId, claim.policyId],
  );
  return {
    customer: row!.customer,
    documents: row!.documents.map((d) => ({ ...d, createdAt: new Date(d.createdAt), versions: d.versions.map((v) => ({ ...v, uploadedAt: new Date(v.uploadedAt) })) }) as unknown as ClaimDocument),
    statusPeriods: row!.status_periods,
    versions: row!.versions,
  };
}
