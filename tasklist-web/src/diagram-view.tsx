import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Box { x: number; y: number; width: number; height: number }
type Canvas = { zoom(to?: string | number, center?: 'auto' | { x: number; y: number }): number; viewbox(box?: Box): Box & { outer: { width: number; height: number } }; addMarker(id: string, marker: string): void };
type Registry = { get(id: string): (Box & { businessObject?: { name?: string } }) | undefined };

/** Room around the current step when the view fits it (diagram units, sideways and up or down): its neighbours stay in sight. */
const AROUND_CURRENT = { x: 180, y: 110 };
const ZOOM_STEP = 1.25;

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
        const shapes = props.current.map((id) => registry.get(id)).filter((shape): shape is NonNullable<typeof shape> => Number.isFinite(shape?.x) && Number.isFinite(shape?.width));
        for (const id of props.current) if (registry.get(id)) canvas.current.addMarker(id, 'current');
        currentBox.current = shapes.length ? around(shapes) : undefined;
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
  const zoomBy = (factor: number) => canvas.current && canvas.current.zoom(canvas.current.zoom() * factor, 'auto');
  return (
    <figure>
      <div class="diagram-tools" role="group" aria-label="Diagram view">
        <button type="button" class="secondary" onClick={() => zoomBy(ZOOM_STEP)} aria-label="Zoom in">+</button>
        <button type="button" class="secondary" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label="Zoom out">−</button>
        <button type="button" class="secondary" onClick={fitCurrent}>Current step</button>
        <button type="button" class="secondary" onClick={() => canvas.current?.zoom('fit-viewport')}>Whole process</button>
      </div>
      <div class="diagram" ref={container} role="region" aria-label={`Process diagram; the claim is at: ${names.join(', ') || 'no open step'}`} data-testid="diagram" />
      <figcaption class="muted">{error ? `The diagram could not be shown: ${error}` : `Now at: ${names.join(', ') || '—'}`}</figcaption>
    </figure>
  );
}

/** The box around the given shapes with room for their neighbours. */
function around(shapes: readonly Box[]): Box {
  const left = Math.min(...shapes.map((s) => s.x)) - AROUND_CURRENT.x;
  const top = Math.min(...shapes.map((s) => s.y)) - AROUND_CURRENT.y;
  const right = Math.max(...shapes.map((s) => s.x + s.width)) + AROUND_CURRENT.x;
  const bottom = Math.max(...shapes.map((s) => s.y + s.height)) + AROUND_CURRENT.y;
  return { x: left, y: top, width: right - left, height: bottom - top };
}
