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
import { useState } from 'preact/hooks';
import { type Api } from '@claims/portal-web/common/api';
import { BpmnEditor } from './bpmn-editor';
import { DmnEditor } from './dmn-editor';
import { FormEditorPanel } from './form-editor';

const KINDS = [
  { value: 'bpmn', label: 'Diagrams' },
  { value: 'dmn', label: 'Decision tables' },
  { value: 'form', label: 'Forms' },
] as const;

/** The analysts' modeler: diagrams, decision tables and forms, linted and deployed as new versions. */
export function ModelerPage(props: { api: Api }) {
  const [kind, setKind] = useState<(typeof KINDS)[number]['value']>(() => (new URLSearchParams(window.location.search).get('kind') as 'bpmn' | 'dmn' | 'form' | null) ?? 'bpmn');
  document.title = 'Modeler · Claims staff';
  return (
    <>
      <h1>Modeler</h1>
      <div class="tabs" role="group" aria-label="What to edit">
        {KINDS.map((k) => (
          <button key={k.value} type="button" aria-pressed={kind === k.value} onClick={() => {
            setKind(k.value);
            window.history.replaceState(null, '', `/staff/modeler?kind=${k.value}`);
          }}>{k.label}</button>
        ))}
      </div>
      {kind === 'bpmn' ? <BpmnEditor api={props.api} /> : kind === 'dmn' ? <DmnEditor api={props.api} /> : <FormEditorPanel api={props.api} />}
    </>
  );
}
