import { FormEditor } from '@bpmn-io/form-js-editor';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, messageOf } from '@claims/portal-web/common/api';
import { ErrorMessage } from '@claims/portal-web/common/ui';
import { DeployBar, useModelLint } from './model-files';
import { hasEdits, type UnsavedGuard } from './unsaved-guard';

/**
 * The form-js editor. Opens any deployed form (the newest version of each:
 * the request form first), or a `.form` file from disk; deploys it under its
 * id, which the diagrams' `zeebe:formDefinition` link to.
 */
interface DeployedForm {
  readonly formId: string;
  readonly version: number;
}

export function FormEditorPanel(props: { api: Api; guard: UnsavedGuard }) {
  const container = useRef<HTMLDivElement>(null);
  const editor = useRef<FormEditor>();
  const [formId, setFormId] = useState<string>();
  const [error, setError] = useState<string>();
  const [deployed, setDeployed] = useState<DeployedForm[]>([]);

  const file = () => {
    const schema = editor.current!.saveSchema() as { id?: string };
    return Promise.resolve({ name: `${schema.id ?? 'form'}.form`, content: JSON.stringify(schema, null, 2) });
  };
  const { problems, lint, lintSoon } = useModelLint(props.api, file, setError);

  const open = async (schema: unknown) => {
    setError(undefined);
    await editor.current!.importSchema(schema);
    props.guard.changed(false);
    setFormId((schema as { id?: string }).id);
    await lint();
  };

  useEffect(() => {
    const created = new FormEditor({ container: container.current! });
    editor.current = created;
    created.on('changed', () => {
      lintSoon();
      if (hasEdits(created.get<{ canUndo(): boolean }>('commandStack'))) props.guard.changed(true);
    });
    props.api.get<{ schema: unknown }>('/deployments/forms/claim-request/latest').then((r) => open(r.schema), (e: unknown) => setError(messageOf(e)));
    void listDeployed();
    return () => created.destroy();
  }, []);

  const listDeployed = () => props.api.get<{ items: DeployedForm[] }>('/deployments/forms').then((r) => setDeployed(r.items), (e: unknown) => setError(messageOf(e)));

  const openDeployed = async (select: HTMLSelectElement) => {
    const chosen = select.value;
    select.value = '';
    if (!chosen || !props.guard.mayLeave()) return;
    try {
      await open((await props.api.get<{ schema: unknown }>(`/deployments/forms/${encodeURIComponent(chosen)}/latest`)).schema);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const openFile = async (input: HTMLInputElement) => {
    const chosen = input.files?.[0];
    if (!chosen) return;
    if (!props.guard.mayLeave()) {
      input.value = '';
      return;
    }
    try {
      await open(JSON.parse(await chosen.text()));
    } catch (e) {
      setError(`${chosen.name} is not a form-js form: ${messageOf(e)}`);
    }
  };

  return (
    <>
      <div class="actions">
        <span>Editing <strong>{formId ?? '…'}</strong></span>
        <label for="deployed-form">Open a deployed form</label>
        <select id="deployed-form" value="" onChange={(e) => void openDeployed(e.currentTarget)}>
          <option value="">Choose…</option>
          {deployed.map((f) => (
            <option key={f.formId} value={f.formId}>
              {f.formId} (version {f.version})
            </option>
          ))}
        </select>
        <label for="form-file">Open a .form file</label>
        <input id="form-file" type="file" accept=".form,application/json" onChange={(e) => void openFile(e.currentTarget)} />
      </div>
      <ErrorMessage error={error} />
      <DeployBar
        api={props.api}
        problems={problems}
        file={file}
        onDeployed={() => {
          props.guard.changed(false);
          void listDeployed();
        }}
      />
      <div class="form-canvas" ref={container} aria-label="Form editor" />
    </>
  );
}
