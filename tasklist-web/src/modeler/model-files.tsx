import { useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';

/** A problem the portal's lint found (bpmnlint with camunda-compat, DMN and form checks). */
export interface ModelProblem {
  readonly resource: string;
  readonly elementId: string | null;
  readonly rule: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

function filesForm(name: string, content: string): FormData {
  const form = new FormData();
  form.append('resources', new Blob([content], { type: 'application/octet-stream' }), name);
  return form;
}

/** Lints one model with the same rules deployment applies. */
export async function lintModel(api: Api, name: string, content: string): Promise<ModelProblem[]> {
  return (await api.upload<{ problems: ModelProblem[] }>('/deployments/lint', filesForm(name, content))).problems;
}

interface DeploymentAnswer {
  readonly deployment: { deployments: Record<string, { processDefinitionId?: string; decisionDefinitionId?: string; decisionRequirementsId?: string; formId?: string; version?: number } | undefined>[] };
}

/** The lint problems, then a deploy button that reports the version made (or every problem refused). */
export function DeployBar(props: { api: Api; problems: readonly ModelProblem[] | undefined; file: () => Promise<{ name: string; content: string }>; onDeployed?: () => void }) {
  const [state, setState] = useState<{ busy?: boolean; message?: string; error?: string }>({});
  const deploy = async () => {
    setState({ busy: true, message: 'Deploying…' });
    try {
      const { name, content } = await props.file();
      const answer = await props.api.upload<DeploymentAnswer>('/deployments', filesForm(name, content));
      const made = answer.deployment.deployments.flatMap((entry) => Object.values(entry)).filter((d) => d?.version !== undefined);
      setState({ message: `Deployed: ${made.map((d) => `${d?.processDefinitionId ?? d?.decisionDefinitionId ?? d?.decisionRequirementsId ?? d?.formId} version ${d?.version}`).join(', ')}.` });
      props.onDeployed?.();
    } catch (e) {
      setState({ error: messageOf(e) });
    }
  };
  const errors = props.problems?.filter((p) => p.severity === 'error').length ?? 0;
  return (
    <div class="card">
      <div class="actions">
        <button type="button" onClick={() => void deploy()} disabled={state.busy || errors > 0}>Deploy new version</button>
        <span role="status" data-testid="deploy-status">{state.message}</span>
        {state.error ? <span class="error" role="alert">{state.error}</span> : null}
      </div>
      <div class="lint" aria-live="polite" aria-label="Lint">
        {props.problems === undefined ? <span class="muted">Checking…</span> : props.problems.length === 0 ? <span class="muted">No problems found.</span> : (
          <ul>{props.problems.map((p, i) => <li key={i} class={`lint-${p.severity}`}><strong>{p.severity}</strong> {p.elementId ? <code>{p.elementId}</code> : null} {p.message} <span class="muted">({p.rule})</span></li>)}</ul>
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
