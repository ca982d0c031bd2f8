/** The customer 360 as GET /api/customers/{id}/overview answers it. */
export interface TimelineEntry {
  readonly at: string;
  readonly kind: string;
  readonly id: string;
  readonly title: string;
  readonly detail: string | null;
  readonly link: { readonly type: string; readonly id: string } | null;
}

export interface TimelinePage {
  readonly items: readonly TimelineEntry[];
  readonly next: string | null;
}

export interface FollowUp {
  readonly id: string;
  readonly assigneeAgent: string | null;
  readonly assigneeTeam: string | null;
  readonly dueAt: string;
  readonly status: 'open' | 'done' | 'escalated' | 'cancelled';
  readonly outcome: string | null;
  readonly closedBy: string | null;
}

export interface CustomerOverview {
  readonly customer: { readonly id: string; readonly number: string; readonly fullName: string; readonly email: string; readonly phone: string | null; readonly customerSince: string };
  readonly policies: readonly {
    readonly id: string;
    readonly number: string;
    readonly product: string;
    readonly status: string;
    readonly startsOn: string;
    readonly endsOn: string;
    readonly currency: string;
    readonly coverage: { readonly annualRemaining: number; readonly deductibleRemaining: number; readonly benefits: readonly { readonly careCode: string; readonly label: string; readonly remaining: number }[] };
  }[];
  readonly claims: readonly { readonly id: string; readonly reference: string; readonly status: string; readonly statusText: string; readonly draft: boolean; readonly currency: string; readonly totalClaimed: number; readonly submittedAt: string | null; readonly intakeChannel: string; readonly filedByAgent: string | null }[];
  readonly documents: readonly { readonly id: string; readonly claimReference: string; readonly kind: string; readonly name?: string; readonly receivedAt: string }[];
  readonly followUps: readonly FollowUp[];
  readonly openTasks: readonly { readonly userTaskKey: string; readonly name: string; readonly assignee: string | null; readonly candidateGroups: readonly string[]; readonly dueDate: string | null }[];
  readonly openTasksUnavailable: boolean;
  readonly timeline: TimelinePage;
}
