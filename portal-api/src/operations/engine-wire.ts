/** The Camunda 8 v2 shapes the operations view reads (only the fields it uses). */

export interface SearchPage<T> {
  readonly items: T[];
  readonly page: { totalItems: number };
}

export interface ProcessInstanceWire {
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly processDefinitionName?: string;
  readonly processDefinitionVersion: number;
  readonly state: string;
  readonly hasIncident: boolean;
  readonly startDate?: string;
  readonly endDate?: string;
}

export interface IncidentWire {
  readonly incidentKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionId: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly errorType: string;
  readonly errorMessage: string;
  readonly state: string;
  readonly jobKey?: string;
  readonly creationTime?: string;
}

export interface JobWire {
  readonly jobKey: string;
  readonly type: string;
  readonly state: string;
  readonly retries: number;
  readonly errorMessage?: string;
  readonly errorCode?: string;
  readonly worker?: string;
  readonly endTime?: string;
  readonly elementId: string;
  readonly processInstanceKey: string;
}

export interface ElementInstanceWire {
  readonly elementInstanceKey: string;
  readonly elementId: string;
  readonly elementName?: string;
  readonly type: string;
  readonly state: string;
  readonly hasIncident: boolean;
  readonly startDate?: string;
  readonly endDate?: string;
}

export interface ElementStatisticsWire {
  readonly elementId: string;
  readonly active: number;
  readonly completed: number;
  readonly canceled: number;
  readonly incidents: number;
}

export interface VariableWire {
  readonly name: string;
  readonly value: string;
  readonly scopeKey: string;
  readonly isTruncated?: boolean;
}

export interface ProcessDefinitionWire {
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly name?: string;
  readonly version: number;
}

export interface BatchOperationWire {
  readonly batchOperationKey: string;
  readonly state: string;
  readonly batchOperationType: string;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly operationsTotalCount: number;
  readonly operationsFailedCount: number;
  readonly operationsCompletedCount: number;
}
