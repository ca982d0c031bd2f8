import DmnModeler from 'dmn-js/lib/Modeler';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { ErrorMessage } from '@claims/portal-web/common/ui';
import { DeployBar, useModelLint, type ModelProblem } from './model-files';
import { hasEdits, type UnsavedGuard } from './unsaved-guard';

interface DecisionVersion {
  readonly decisionDefinitionId: string;
  readonly name?: string;
  readonly version: number;
  readonly decisionRequirementsKey: string;
  readonly decisionRequirementsId?: string;
}

/** dmn-js on the deployed decision tables: edit rules and thresholds, check, deploy a new version. */
export function DmnEditor(props: { api: Api; guard: UnsavedGuard }) {
  const container = useRef<HTMLDivElement>(null);
  const modeler = useRef<DmnModeler>();
  const [versions, setVersions] = useState<DecisionVersion[]>([]);
  const [selected, setSelected] = useState<DecisionVersion>();
  const [error, setError] = useState<string>();

  const file = async () => ({ name: `${selected?.decisionRequirementsId ?? selected?.decisionDefinitionId ?? 'decisions'}.dmn`, content: (await modeler.current!.saveXML({ format: true })).xml });
  const { problems, clear, lint, lintSoon } = useModelLint(props.api, file, setError);
  // A problem clicked in the list puts the cursor in its cell (dmn-js marks cells with the entry's id).
  const select = (problem: ModelProblem) => {
    const cell = container.current?.querySelector<HTMLElement>(`[data-element-id="${CSS.escape(problem.elementId!)}"]`);
    if (!cell) return;
    cell.scrollIntoView({ block: 'center' });
    (cell.querySelector<HTMLElement>('[contenteditable="true"]') ?? cell).focus();
  };

  const loadVersions = () => props.api.get<{ items: DecisionVersion[] }>('/deployments/decisions').then((r) => {
    setVersions(r.items);
    return r.items;
  });

  useEffect(() => {
    const created = new DmnModeler({ container: container.current!, common: { keyboard: { bindTo: window } } });
    modeler.current = created;
    // Every edit in any view goes through a command stack; check after a burst of edits.
    created.on('views.changed', () => {
      const viewer = created.getActiveViewer();
      viewer?.get<{ on(event: string, fn: () => void): void }>('eventBus').on('commandStack.changed', () => {
        lintSoon();
        if (hasEdits(viewer.get<{ canUndo(): boolean }>('commandStack'))) props.guard.changed(true);
      });
    });
    loadVersions().then((items) => setSelected(items.find((v) => v.decisionDefinitionId === 'claim-routing') ?? items[0]), (e: unknown) => setError(messageOf(e)));
    return () => created.destroy();
  }, []);

  useEffect(() => {
    if (!selected || !modeler.current) return;
    clear();
    props.api.get<string>(`/deployments/decisions/${selected.decisionRequirementsKey}/xml`)
      .then((xml) => modeler.current!.importXML(xml))
      .then(async () => {
        const table = modeler.current!.getViews().find((view) => view.type === 'decisionTable' && view.element.id === selected.decisionDefinitionId) ?? modeler.current!.getViews().find((view) => view.type === 'decisionTable');
        if (table) await modeler.current!.open(table);
        props.guard.changed(false);
        await lint();
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [selected?.decisionDefinitionId, selected?.decisionRequirementsKey]);

  // One entry per decision, newest version first (the search answers newest first).
  const latest = versions.filter((v, i) => versions.findIndex((w) => w.decisionDefinitionId === v.decisionDefinitionId) === i);
  return (
    <>
      <div class="actions">
        <label for="decision">Decision table</label>
        <select id="decision" value={selected?.decisionDefinitionId} onChange={(e) => {
          if (!props.guard.mayLeave()) return void (e.currentTarget.value = selected?.decisionDefinitionId ?? '');
          setSelected(latest.find((v) => v.decisionDefinitionId === e.currentTarget.value));
        }}>
          {latest.map((v) => <option key={v.decisionDefinitionId} value={v.decisionDefinitionId}>{v.name ?? v.decisionDefinitionId} · version {v.version}</option>)}
        </select>
      </div>
      <ErrorMessage error={error} />
      <DeployBar api={props.api} problems={problems} file={file} shadowRun onSelect={select} onDeployed={() => {
        props.guard.changed(false);
        void loadVersions().then((items) => setSelected(items.find((v) => v.decisionDefinitionId === selected?.decisionDefinitionId)));
      }} />
      <div class="dmn-canvas" ref={container} aria-label="Decision table editor" />
    </>
  );
}
