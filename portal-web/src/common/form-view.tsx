import { Form } from '@bpmn-io/form-js-viewer';
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { firstDayOfWeek } from './week-start';

export type FormData = Record<string, unknown>;

/** What a page can do with a rendered form. */
export interface FormHandle {
  /** Validates; answers the data and the chosen files, or undefined when the form shows errors. */
  submit(): { data: FormData; files: Map<string, File[]> } | undefined;
  /** The files picked in a file picker field, by the field's value. */
  files(pickerValue: unknown): File[];
}

/**
 * A form-js form (the schemas in `forms/`, as deployed with the process),
 * rendered by the official viewer so that what analysts build in the form
 * editor is what people fill in.
 */
export function FormView(props: { schema: unknown; data: FormData; readOnly?: boolean; onReady?: (handle: FormHandle) => void; onChange?: (data: FormData) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const form = useRef<Form>();
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  // Read when the import ends: the task may have been claimed meanwhile.
  const readOnly = useRef(props.readOnly);
  readOnly.current = props.readOnly;

  useEffect(() => {
    if (!container.current) return undefined;
    const created = new Form({ container: container.current });
    // form-js draws number fields as text inputs: ask phones for the decimal keypad, in rows added later too;
    // and its date pickers start the week on Sunday whatever the reader's locale: as the locale does instead.
    const keypads = new MutationObserver(() => {
      decimalKeypads(container.current);
      localWeekStart(container.current);
    });
    keypads.observe(container.current, { childList: true, subtree: true });
    form.current = created;
    created.on('changed', (event: { data: FormData }) => onChange.current?.(event.data));
    void created.importSchema(props.schema as never, props.data).then(() => {
      if (readOnly.current) created.setProperty('readOnly', true);
      const registry = created.get<{ getFiles(id: string): File[] } | undefined>('fileRegistry');
      props.onReady?.({
        submit: () => {
          const result = created.submit();
          return Object.keys(result.errors).length > 0 ? undefined : { data: result.data, files: result.files };
        },
        files: (pickerValue) => (typeof pickerValue === 'string' && registry ? registry.getFiles(pickerValue) : []),
      });
    });
    return () => {
      keypads.disconnect();
      created.destroy();
    };
    // The form is rebuilt only when its schema changes; data is its starting point.
  }, [props.schema]);

  // Applied before the browser paints the page that made the form editable (a task just claimed), so that a
  // person acting on what they see never meets a form still read-only.
  useLayoutEffect(() => {
    form.current?.setProperty('readOnly', Boolean(props.readOnly));
  }, [props.readOnly]);

  return <div class="form-view" ref={container} />;
}

type DatePickerInput = HTMLInputElement & { _flatpickr?: { set(option: 'locale', value: { firstDayOfWeek: number }): void } };

function localWeekStart(root: HTMLElement | null): void {
  root?.querySelectorAll<DatePickerInput>('input.flatpickr-input:not([data-week-start])').forEach((input) => {
    if (!input._flatpickr) return;
    input.dataset.weekStart = 'local';
    input._flatpickr.set('locale', { firstDayOfWeek: firstDayOfWeek(navigator.language) });
  });
}

function decimalKeypads(root: HTMLElement | null): void {
  root?.querySelectorAll<HTMLInputElement>('.fjs-form-field-number input.fjs-input:not([inputmode])').forEach((input) => input.setAttribute('inputmode', 'decimal'));
}
