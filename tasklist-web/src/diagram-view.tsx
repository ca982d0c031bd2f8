import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useRef, useState } from 'preact/hooks';
import { boxAround, type Box, type Canvas, DiagramTools, isDrawn } from './diagram-canvas';

type Registry = { get(id: string): (Box & { businessObject?: { name?: string } }) | undefined };

/** Room around the current step when the view fits it (diagram units, sideways and up or down): its neighbours stay in sight. */
const AROUND_CURRENT = { x: 180, y: 110 };

/**
 * The process diagram (bpmn-js viewer) with where the claim stands: the
 * current steps outlined in red, the steps done in green. It opens fitted to
 * the current step at a readable size, not shrunk to the whole process;
 * buttons zoom, show the whole process and come back to the step. Pan with
 * the mouse; the caption says the same in words.
 */
export function DiagramView(props: { xml: string; current: readonly string[]; done: readonly string[] }) {
  const container = useRef<HTMLDivElement>(null);
  const canvas = useRef<Canvas>();
  const currentBox = useRef<Box>();
  const [names, setNames] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!container.current) return undefined;
    const viewer = new NavigatedViewer({ container: container.current });
    viewer.importXML(props.xml).then(
      () => {
        canvas.current = viewer.get<Canvas>('canvas');
        const registry = viewer.get<Registry>('elementRegistry');
        for (const id of props.done) if (registry.get(id)) canvas.current.addMarker(id, 'done');
        // The process itself is an active element too: only shapes drawn on the canvas have a place to fit.
        const shapes = props.current.map((id) => registry.get(id)).filter(isDrawn);
        for (const id of props.current) if (registry.get(id)) canvas.current.addMarker(id, 'current');
        currentBox.current = shapes.length ? boxAround(shapes, AROUND_CURRENT) : undefined;
        fitCurrent();
        setNames(shapes.map((shape) => shape.businessObject?.name ?? '').filter(Boolean));
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => viewer.destroy();
  }, [props.xml, props.current.join(), props.done.join()]);

  const fitCurrent = () => {
    if (!canvas.current) return;
    if (!currentBox.current) return void canvas.current.zoom('fit-viewport');
    canvas.current.viewbox(currentBox.current);
  };
  return (
    <figure>
      <DiagramTools canvas={canvas} focusLabel="Current step" onFocus={fitCurrent} />
      <div class="diagram" ref={container} role="region" aria-label={`Process diagram; the claim is at: ${names.join(', ') || 'no open step'}`} data-testid="diagram" />
      <figcaption class="muted">{error ? `The diagram could not be shown: ${error}` : `Now at: ${names.join(', ') || '—'}`}</figcaption>
    </figure>
  );
}

