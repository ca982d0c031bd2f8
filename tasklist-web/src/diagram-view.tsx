import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * The process diagram (bpmn-js viewer) with where the claim stands: the
 * current steps outlined in red, the steps done in green. Pan and zoom with
 * mouse or keyboard; the list below says the same in words.
 */
export function DiagramView(props: { xml: string; current: readonly string[]; done: readonly string[] }) {
  const container = useRef<HTMLDivElement>(null);
  const [names, setNames] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!container.current) return undefined;
    const viewer = new NavigatedViewer({ container: container.current });
    viewer.importXML(props.xml).then(
      () => {
        const canvas = viewer.get<{ zoom(to: string): void; addMarker(id: string, marker: string): void }>('canvas');
        const registry = viewer.get<{ get(id: string): { businessObject?: { name?: string } } | undefined }>('elementRegistry');
        canvas.zoom('fit-viewport');
        for (const id of props.done) if (registry.get(id)) canvas.addMarker(id, 'done');
        for (const id of props.current) if (registry.get(id)) canvas.addMarker(id, 'current');
        setNames(props.current.map((id) => registry.get(id)?.businessObject?.name ?? id));
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => viewer.destroy();
  }, [props.xml, props.current.join(), props.done.join()]);
  return (
    <figure>
      <div class="diagram" ref={container} role="img" aria-label={`Process diagram; the claim is at: ${names.join(', ') || 'no open step'}`} />
      <figcaption class="muted">{error ? `The diagram could not be shown: ${error}` : `Now at: ${names.join(', ') || '—'}`}</figcaption>
    </figure>
  );
}
