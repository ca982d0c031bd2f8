import { type DataSource } from 'typeorm';
import { Problem } from '../http/problem';

/** The process whose underwriting task carries free text about an applicant's health. */
export const POLICY_APPLICATION_PROCESS = 'policy-application';

/**
 * The underwriting form's free-text fields (forms/underwrite-application.form).
 * They often hold medical facts, and every process variable shows in the
 * operations view, so they are kept on the application and only the decision
 * codes (underwritingDecision, informationKind, declineReasonCode) reach the engine.
 */
const FREE_TEXT_FIELDS = ['informationRequest', 'clientReason', 'underwritingNote'] as const;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The variables without the free text, for the engine. */
export function withoutFreeText(variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => !(FREE_TEXT_FIELDS as readonly string[]).includes(name)));
}

/**
 * Stores the underwriter's words on the application the task is about: the
 * question (sent by the worker's "ask client" step), the reason a declined
 * client reads (only for a decline), the note for the file.
 */
export async function keepUnderwriterWords(dataSource: DataSource, applicationId: unknown, variables: Record<string, unknown>): Promise<void> {
  if (typeof applicationId !== 'string') throw Problem.conflict('This underwriting task names no application.');
  const decision = variables.underwritingDecision;
  await dataSource.query(
    `UPDATE policy_application SET underwriter_question = $2, client_reason = CASE WHEN $3::text IS NULL THEN client_reason ELSE $3 END, underwriting_note = COALESCE($4, underwriting_note), updated_at = now() WHERE id = $1`,
    [applicationId, decision === 'request-information' ? text(variables.informationRequest) : null, decision === 'decline' ? text(variables.clientReason) : null, text(variables.underwritingNote)],
  );
}
