/** What `/api/operations/...` answers (portal-api/src/operations). */

export interface ClaimRef {
  readonly id: string;
  readonly reference: string;
  readonly status?: string;
}

export interface ProcessVersion {
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly name: string;
  readonly version: number;
}

export interface InstanceSummary {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly processName: string;
  readonly version: number;
  readonly state: string;
  readonly hasIncident: boolean;
  readonly startDate: string | null;
  readonly endDate: string | null;
  readonly claim?: ClaimRef | null;
}

export interface IncidentView {
  readonly incidentKey: string;
  readonly processInstanceKey: string;
  readonly elementId: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly creationTime?: string;
  readonly job: { jobKey: string; type: string; state: string; retries: number; errorMessage: string | null; worker: string | null } | null;
  readonly claim: ClaimRef | null;
}

export interface InstanceDetail {
  readonly instance: InstanceSummary;
  readonly claim: ClaimRef | null;
  readonly xml: string;
  readonly statistics: { elementId: string; active: number; completed: number; canceled: number; incidents: number }[];
  readonly takenFlows: string[];
  readonly variables: { name: string; scopeKey: string; value: string; truncated: boolean }[];
  readonly incidents: IncidentView[];
  readonly history: { elementInstanceKey: string; elementId: string; elementName: string; type: string; state: string; hasIncident: boolean; startDate: string | null; endDate: string | null }[];
}

export interface RetryAnswer {
  readonly outcome: 'completed' | 'failed-again' | 'error-thrown' | 'resolved' | 'still-waiting';
  readonly error?: string;
  readonly job: { state: string; retries: number; errorMessage: string | null } | null;
}
