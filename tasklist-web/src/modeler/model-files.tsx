import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';

/** A problem the portal's lint found (bpmnlint with camunda-compat, DMN variable and form checks). */
export interface ModelProblem {
  readonly resource: string;
  readonly elementId: string | null;
  /** The element as the editor names it (its id when it has no name). */
  readonly elementName?: string | null;
  readonly rule: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** What the candidate decisions or process version would have decided on recent claims, against the deployed versions. */
export interface ShadowRun {
  readonly shadowRunId: string;
  readonly claimsCompared: number;
  readonly changedCount: number;
  readonly decisions: readonly { decisionId: string; decisionName: string; deployedVersion: number | null; changed: readonly { claimReference: string; before: string; after: string }[] }[];
  /** Routes through a candidate process version: from the step where they part, each version's steps. */
  readonly processes?: readonly { processId: string; processName: string; deployedVersion: number | null; changed: readonly { claimReference: string; divergesAtName: string; before: readonly string[]; after: readonly string[] }[] }[];
}

/** The rows the shadow run table shows: a decision's output, or a route from where it parts. */
function changedRows(shadow: ShadowRun): { key: string; claimReference: string; what: string; before: string; after: string }[] {
  return [
    ...shadow.decisions.flatMap((d) => d.changed.map((c) => ({ key: `${c.claimReference}-d-${d.decisionId}`, claimReference: c.claimReference, what: d.decisionName, before: shownOutcome(c.before), after: shownOutcome(c.after) }))),
    ...(shadow.processes ?? []).flatMap((p) => p.changed.map((c) => ({ key: `${c.claimReference}-p-${p.processId}`, claimReference: c.claimReference, what: `${p.processName}: route from ${c.divergesAtName}`, before: c.before.join(' → '), after: c.after.join(' → ') }))),
  ];
}

function filesForm(name: string, content: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.append('resources', new Blob([content], { type: 'application/octet-stream' }), name);
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
  return form;
}

/** Lints one model with the same rules deployment applies. */
export async function lintModel(api: Api, name: string, content: string): Promise<ModelProblem[]> {
  return (await api.upload<{ problems: ModelProblem[] }>('/deployments/lint', filesForm(name, content))).problems;
}

interface DeploymentAnswer {
  /** As Camunda 8 answers: a process's version is `processDefinitionVersion`, the others' `version`. */
  readonly deployment: { deployments: Record<string, { processDefinitionId?: string; processDefinitionVersion?: number; decisionDefinitionId?: string; decisionRequirementsId?: string; formId?: string; version?: number } | undefined>[] };
}

/** A decision output as the analyst reads it: `"review"` is review. */
function shownOutcome(output: string): string {
  try {
    const value: unknown = JSON.parse(output);
    return typeof value === 'string' ? value : output;
  } catch {
    return output;
  }
}

type DeployState = { busy?: boolean; message?: string; error?: string; shadow?: ShadowRun; confirming?: boolean };

/**
 * The lint problems (each naming its element, a click selects it), the
 * shadow run of a decision or process version on recent claims, then a deploy button.
 * A version that changes outcomes deploys only after the analyst confirms
 * that shadow run; the portal records who did.
 */
export function DeployBar(props: { api: Api; problems: readonly ModelProblem[] | undefined; file: () => Promise<{ name: string; content: string }>; onDeployed?: () => void; onSelect?: (problem: ModelProblem) => void; shadowRun?: boolean }) {
  const [state, setState] = useState<DeployState>({});
  const errors = props.problems?.filter((p) => p.severity === 'error').length ?? 0;

  const runShadow = async (): Promise<ShadowRun> => {
    const { name, content } = await props.file();
    return props.api.upload<ShadowRun>('/deployments/shadow-run', filesForm(name, content));
  };
  // A decision version is tried on recent claims whenever it lints clean, so the result is in view before deploying.
  useEffect(() => {
    if (!props.shadowRun || props.problems === undefined || errors > 0) {
      setState((s) => ({ ...s, shadow: undefined, confirming: false }));
      return;
    }
    let current = true;
    runShadow().then((shadow) => current && setState((s) => ({ ...s, shadow, confirming: false })), (e: unknown) => current && setState((s) => ({ ...s, error: messageOf(e) })));
    return () => {
      current = false;
    };
  }, [props.problems, props.shadowRun]);

  const deploy = async (accepted?: ShadowRun) => {
    setState((s) => ({ ...s, busy: true, message: 'Deploying…', error: undefined }));
    try {
      const { name, content } = await props.file();
      const fields: Record<string, string> = accepted ? { acceptChangedOutcomes: 'true', shadowRunId: accepted.shadowRunId } : {};
      const answer = await props.api.upload<DeploymentAnswer>('/deployments', filesForm(name, content, fields));
      const made = answer.deployment.deployments.flatMap((entry) => Object.values(entry)).filter((d) => (d?.version ?? d?.processDefinitionVersion) !== undefined);
      setState({ message: `Deployed: ${made.map((d) => `${d?.processDefinitionId ?? d?.decisionDefinitionId ?? d?.decisionRequirementsId ?? d?.formId} version ${d?.version ?? d?.processDefinitionVersion}`).join(', ')}.` });
      props.onDeployed?.();
    } catch (e) {
      setState((s) => ({ ...s, busy: false, message: undefined, confirming: false, error: messageOf(e) }));
    }
  };
  const start = async () => {
    if (!props.shadowRun) return deploy();
    setState((s) => ({ ...s, busy: true, message: 'Trying the new version on recent claims…', error: undefined }));
    try {
      const shadow = await runShadow();
      if (shadow.changedCount === 0) return await deploy();
      setState((s) => ({ ...s, busy: false, message: undefined, shadow, confirming: true }));
    } catch (e) {
      setState((s) => ({ ...s, busy: false, message: undefined, error: messageOf(e) }));
    }
  };

  const shadow = state.shadow;
  const changes = shadow ? changedRows(shadow) : [];
  return (
    <div class="card">
      <div class="actions">
        <button type="button" onClick={() => void start()} disabled={state.busy || errors > 0 || state.confirming}>Deploy new version</button>
        <span role="status" data-testid="deploy-status">{state.message}</span>
        {state.error ? <span class="error" role="alert">{state.error}</span> : null}
      </div>
      {props.shadowRun && shadow ? (
        <section class="shadow-run" aria-label="Shadow run" data-testid="shadow-run">
          <p>
            <strong>{shadow.changedCount === 0 ? 'No change' : `${shadow.changedCount} of ${shadow.claimsCompared} recent claims would be decided differently`}</strong>
            {shadow.changedCount === 0 ? ` on the ${shadow.claimsCompared} most recent claims, compared with the deployed version.` : ' by this version than by the deployed one.'}
          </p>
          {changes.length > 0 ? (
            <table>
              <thead><tr><th scope="col">Claim</th><th scope="col">Decision or route</th><th scope="col">Deployed version</th><th scope="col">This version</th></tr></thead>
              <tbody>{changes.map((c) => <tr key={c.key}><td data-label="Claim">{c.claimReference}</td><td data-label="Decision or route">{c.what}</td><td data-label="Deployed version">{c.before}</td><td data-label="This version">{c.after}</td></tr>)}</tbody>
            </table>
          ) : null}
          {state.confirming ? (
            <div class="actions" role="group" aria-label="Confirm changed outcomes">
              <span>Deploy it anyway? Your name is recorded as accepting these changes.</span>
              <button type="button" onClick={() => void deploy(shadow)} disabled={state.busy}>Deploy and accept {shadow.changedCount} changed outcome{shadow.changedCount === 1 ? '' : 's'}</button>
              <button type="button" class="secondary" onClick={() => setState((s) => ({ ...s, confirming: false }))}>Cancel</button>
            </div>
          ) : null}
        </section>
      ) : null}
      <div class="lint" aria-live="polite" aria-label="Lint">
        {props.problems === undefined ? <span class="muted">Checking…</span> : props.problems.length === 0 ? <span class="muted">No problems found.</span> : (
          <ul>{props.problems.map((p, i) => (
            <li key={i} class={`lint-${p.severity}`}>
              <strong>{p.severity}</strong>{' '}
              {p.elementId && props.onSelect ? <button type="button" class="link" onClick={() => props.onSelect!(p)} title="Select it in the editor">{p.elementName ?? p.elementId}</button> : p.elementId ? <span>{p.elementName ?? p.elementId}</span> : null}
              {' '}{p.message} <span class="muted">({p.rule})</span>
            </li>
          ))}</ul>
        )}
      </div>
    </div>
  );
}

/** Debounces work after edits: the last edit in a burst wins. */
function debounce(fn: () => void, ms: number): () => void {
  let timer: number | undefined;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(fn, ms);
  };
}

const LINT_AFTER_EDITS_MS = 700;

/**
 * Lint shared by the three editors: `lint()` now, `lintSoon()` after a burst
 * of edits, always on the editor's current content. `mark` shows the problems
 * on the model (the BPMN editor's overlays).
 */
export function useModelLint(api: Api, file: () => Promise<{ name: string; content: string }>, onError: (message: string) => void, mark?: (problems: readonly ModelProblem[]) => void) {
  const [problems, setProblems] = useState<ModelProblem[]>();
  const current = useRef<() => Promise<void>>();
  current.current = async () => {
    try {
      const { name, content } = await file();
      const found = await lintModel(api, name, content);
      setProblems(found);
      mark?.(found);
    } catch (e) {
      onError(messageOf(e));
    }
  };
  const lint = useRef(() => current.current!()).current;
  const lintSoon = useRef(debounce(() => void current.current!(), LINT_AFTER_EDITS_MS)).current;
  return { problems, clear: () => setProblems(undefined), lint, lintSoon };
}
