import BpmnModeler from 'bpmn-js/lib/Modeler';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule } from 'bpmn-js-properties-panel';
import ZeebeBehaviorsModule from 'camunda-bpmn-js-behaviors/lib/camunda-cloud';
import zeebeModdle from 'zeebe-bpmn-moddle/resources/zeebe.json';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { ErrorMessage } from '@claims/portal-web/common/ui';
import { DeployBar, useModelLint, type ModelProblem } from './model-files';
import { hasEdits, type UnsavedGuard } from './unsaved-guard';

interface ProcessVersion {
  readonly processDefinitionKey: string;
  readonly processDefinitionId: string;
  readonly name?: string;
  readonly version: number;
  readonly resourceName?: string;
}

type Overlays = { add(id: string, type: string, overlay: { position: Record<string, number>; html: string }): void; remove(filter: { type: string }): void };

/**
 * bpmn-js with Camunda 8's properties panel (`zeebe:` task definitions,
 * forms, assignments, inputs and outputs), linted while editing by the same
 * rules the portal applies at deployment; problems are listed and marked on
 * the diagram.
 */
export function BpmnEditor(props: { api: Api; guard: UnsavedGuard }) {
  const canvas = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const modeler = useRef<BpmnModeler>();
  const [versions, setVersions] = useState<ProcessVersion[]>([]);
  const [selected, setSelected] = useState<ProcessVersion>();
  const [error, setError] = useState<string>();

  const loadVersions = () => props.api.get<{ items: ProcessVersion[] }>('/deployments/processes').then((r) => {
    setVersions(r.items);
    return r.items;
  });

  const file = async () => ({ name: fileName(selected!), content: (await modeler.current!.saveXML({ format: true })).xml ?? '' });
  // Problems are listed by the deploy bar and marked on their elements.
  const mark = (found: readonly ModelProblem[]) => {
    const overlays = modeler.current!.get<Overlays>('overlays');
    overlays.remove({ type: 'lint' });
    const registry = modeler.current!.get<{ get(id: string): unknown }>('elementRegistry');
    for (const problem of found) {
      if (problem.elementId && registry.get(problem.elementId)) overlays.add(problem.elementId, 'lint', { position: { top: -10, right: 10 }, html: `<span class="lint-badge" title="${escapeAttribute(problem.message)}">${problem.severity === 'error' ? '!' : '?'}</span>` });
    }
  };
  const { problems, clear, lint, lintSoon } = useModelLint(props.api, file, setError, mark);
  // A problem clicked in the list selects its element on the diagram and brings it into view.
  const select = (problem: ModelProblem) => {
    const element = modeler.current!.get<{ get(id: string): unknown }>('elementRegistry').get(problem.elementId!);
    if (!element) return;
    modeler.current!.get<{ select(element: unknown): void }>('selection').select(element);
    modeler.current!.get<{ scrollToElement(element: unknown): void }>('canvas').scrollToElement(element);
  };

  useEffect(() => {
    const created = new BpmnModeler({
      container: canvas.current!,
      propertiesPanel: { parent: panel.current! },
      additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, ZeebePropertiesProviderModule, ZeebeBehaviorsModule],
      moddleExtensions: { zeebe: zeebeModdle },
    });
    modeler.current = created;
    created.on('commandStack.changed', () => {
      lintSoon();
      if (hasEdits(created.get('commandStack'))) props.guard.changed(true);
    });
    loadVersions().then((items) => setSelected(items.find((v) => v.processDefinitionId === 'claim-reimbursement') ?? items[0]), (e: unknown) => setError(messageOf(e)));
    return () => created.destroy();
  }, []);

  useEffect(() => {
    if (!selected || !modeler.current) return;
    clear();
    props.api.get<string>(`/deployments/processes/${selected.processDefinitionKey}/xml`)
      .then((xml) => modeler.current!.importXML(xml))
      .then(() => {
        props.guard.changed(false);
        modeler.current!.get<{ zoom(to: string): void }>('canvas').zoom('fit-viewport');
        return lint();
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [selected?.processDefinitionKey]);

  return (
    <>
      <div class="actions">
        <label for="process-version">Process and version</label>
        <select id="process-version" value={selected?.processDefinitionKey} onChange={(e) => {
          // Another version replaces the diagram: changes not deployed are asked about first.
          if (!props.guard.mayLeave()) return void (e.currentTarget.value = selected?.processDefinitionKey ?? '');
          setSelected(versions.find((v) => v.processDefinitionKey === e.currentTarget.value));
        }}>
          {versions.map((v) => <option key={v.processDefinitionKey} value={v.processDefinitionKey}>{v.name ?? v.processDefinitionId} ({v.processDefinitionId}) · version {v.version}</option>)}
        </select>
      </div>
      <ErrorMessage error={error} />
      <DeployBar api={props.api} problems={problems} onDeployed={() => {
        props.guard.changed(false);
        void loadVersions();
      }} file={file} onSelect={select} shadowRun />
      <div class="modeler-layout">
        <div class="modeler-canvas" ref={canvas} aria-label="BPMN diagram editor" />
        <div class="modeler-side" ref={panel} aria-label="Properties" />
      </div>
      <p class="muted">Deployed versions: {versions.filter((v) => v.processDefinitionId === selected?.processDefinitionId).map((v) => `v${v.version}`).join(', ')}.</p>
    </>
  );
}

function fileName(version: ProcessVersion): string {
  return version.resourceName && /^[\w.-]+\.bpmn$/.test(version.resourceName) ? version.resourceName : `${version.processDefinitionId}.bpmn`;
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
