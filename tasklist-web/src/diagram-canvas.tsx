/**
 * What the two diagram views (a task's claim, an instance in the operations
 * view) share around the bpmn-js viewer: the canvas calls they make, the box
 * that frames where an instance stands, and the zoom buttons.
 */

export interface Box { x: number; y: number; width: number; height: number }
export type Canvas = { zoom(to?: string | number, center?: 'auto'): number; viewbox(box?: Box): Box; addMarker(id: string, marker: string): void };

export const ZOOM_STEP = 1.25;

/** Whether a registry entry is a shape drawn on the canvas (the process itself has no place to fit). */
export function isDrawn<T extends Partial<Box>>(shape: T | undefined): shape is T & Box {
  return Number.isFinite(shape?.x) && Number.isFinite(shape?.width);
}

/** The box around the given shapes with `margin` (diagram units) kept for their neighbours. */
export function boxAround(shapes: readonly Box[], margin: { x: number; y: number }): Box {
  const left = Math.min(...shapes.map((s) => s.x)) - margin.x;
  const top = Math.min(...shapes.map((s) => s.y)) - margin.y;
  const right = Math.max(...shapes.map((s) => s.x + s.width)) + margin.x;
  const bottom = Math.max(...shapes.map((s) => s.y + s.height)) + margin.y;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** Zoom in, zoom out, back to what matters (`focusLabel`), and the whole process. */
export function DiagramTools(props: { canvas: { current?: Canvas }; focusLabel: string; onFocus: () => void }) {
  const zoomBy = (factor: number) => props.canvas.current && props.canvas.current.zoom(props.canvas.current.zoom() * factor, 'auto');
  return (
    <div class="diagram-tools" role="group" aria-label="Diagram view">
      <button type="button" class="secondary" onClick={() => zoomBy(ZOOM_STEP)} aria-label="Zoom in">+</button>
      <button type="button" class="secondary" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label="Zoom out">−</button>
      <button type="button" class="secondary" onClick={props.onFocus}>{props.focusLabel}</button>
      <button type="button" class="secondary" onClick={() => props.canvas.current?.zoom('fit-viewport')}>Whole process</button>
    </div>
  );
}
