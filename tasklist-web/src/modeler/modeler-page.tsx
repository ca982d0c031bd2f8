import 'bpmn-js/dist/assets/bpmn-js.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api } from '@claims/portal-web/common/api';
import { guardLeaving } from '@claims/portal-web/common/router';
import { BpmnEditor } from './bpmn-editor';
import { DmnEditor } from './dmn-editor';
import { FormEditorPanel } from './form-editor';
import { type UnsavedGuard } from './unsaved-guard';

const KINDS = [
  { value: 'bpmn', label: 'Diagrams' },
  { value: 'dmn', label: 'Decision tables' },
  { value: 'form', label: 'Forms' },
] as const;

const LEAVE_QUESTION = 'Your changes are not deployed and will be lost. Leave them?';

/**
 * The analysts' modeler: diagrams, decision tables and forms, linted and
 * deployed as new versions. Changes not deployed are guarded: switching
 * editors or versions, following a link or leaving the page asks first.
 */
export function ModelerPage(props: { api: Api }) {
  const [kind, setKind] = useState<(typeof KINDS)[number]['value']>(() => (new URLSearchParams(window.location.search).get('kind') as 'bpmn' | 'dmn' | 'form' | null) ?? 'bpmn');
  document.title = 'Modeler · Claims staff';
  const dirty = useRef(false);
  const guard = useRef<UnsavedGuard>({
    changed: (changed) => (dirty.current = changed),
    mayLeave: () => {
      if (!dirty.current || window.confirm(LEAVE_QUESTION)) {
        dirty.current = false;
        return true;
      }
      return false;
    },
  }).current;
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (!dirty.current) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', beforeUnload);
    const release = guardLeaving(guard.mayLeave);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      release();
    };
  }, []);
  return (
    <>
      <h1>Modeler</h1>
      <div class="tabs" role="group" aria-label="What to edit">
        {KINDS.map((k) => (
          <button key={k.value} type="button" aria-pressed={kind === k.value} onClick={() => {
            if (k.value === kind || !guard.mayLeave()) return;
            setKind(k.value);
            window.history.replaceState(null, '', `/staff/modeler?kind=${k.value}`);
          }}>{k.label}</button>
        ))}
      </div>
      {kind === 'bpmn' ? <BpmnEditor api={props.api} guard={guard} /> : kind === 'dmn' ? <DmnEditor api={props.api} guard={guard} /> : <FormEditorPanel api={props.api} guard={guard} />}
    </>
  );
}
