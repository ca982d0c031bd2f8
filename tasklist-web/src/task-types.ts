/** The portal's task answers (`GET /api/tasks`, `/api/tasks/{key}`, `/context`), as the staff app reads them. */
import { type ClaimDetail, type Coverage } from '@claims/portal-web/common/types';

export interface TaskView {
  readonly userTaskKey: string;
  readonly name: string;
  readonly elementId: string;
  readonly state: string;
  readonly assignee: string | null;
  readonly candidateGroups: readonly string[];
  readonly processDefinitionId: string;
  readonly creationDate: string;
  readonly completionDate: string | null;
  readonly dueDate: string | null;
  readonly priority: number;
  readonly overdue: boolean;
  readonly claim: { id: string; reference: string; status: string; totalClaimed: number; currency: string; customerName: string | null } | null;
}

export interface TaskWithForm extends TaskView {
  readonly form: unknown;
  readonly variables: Record<string, unknown>;
}

export interface TaskContext {
  readonly task: TaskView;
  readonly claim: ClaimDetail;
  readonly policy: { id: string; number: string; product: string; status: string; startsOn: string; endsOn: string; coverage: Coverage } | null;
  readonly earlierClaims: readonly { id: string; reference: string; status: string; totalClaimed: number; totalPaid: number | null; submittedAt: string }[];
  readonly fraud: { score: number | null; flags: readonly { code?: string; signal?: string; reason: string; weight?: number }[] | null };
  readonly informationAnswers?: readonly InformationAnswer[];
  /** On a payment approval: the assessment it follows. */
  readonly assessment?: AssessmentSummary | null;
  readonly diagram: { processDefinitionKey: string; xml: string; activeElementIds: readonly string[]; completedElementIds: readonly string[] };
}

/** A client's answer to a request for information, with the question it answers. */
export interface InformationAnswer {
  readonly id: string;
  readonly question: string | null;
  readonly answer: string;
  readonly documentIds: readonly string[];
  readonly answeredBy: string;
  readonly answeredAt: string;
}

/** Who assessed a claim and why, as the approver reads it. */
export interface AssessmentSummary {
  readonly assessedBy: string | null;
  readonly assessedAt: string | null;
  readonly decision: string | null;
  readonly note: string | null;
  readonly clientReason: string | null;
}
