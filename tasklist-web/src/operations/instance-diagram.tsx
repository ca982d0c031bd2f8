import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { useEffect, useRef, useState } from 'preact/hooks';
import { boxAround, type Box, type Canvas, DiagramTools, isDrawn } from '../diagram-canvas';

/** Counts per element, as the engine's element statistics give them. */
export interface ElementCounts {
  readonly elementId: string;
  readonly active: number;
  readonly completed: number;
  readonly canceled: number;
  readonly incidents: number;
}

type Overlays = { add(elementId: string, overlay: { position: { bottom?: number; left?: number; top?: number; right?: number }; html: HTMLElement }): void };
type Registry = { get(id: string): (Partial<Box> & { businessObject?: { name?: string } }) | undefined };

/** Room around the elements holding tokens when the view is narrowed to them (diagram units). */
const AROUND = { x: 160, y: 100 };
/** Below this width (a phone) the whole process is too small to read: the view opens on where the instance stands. */
const NARROW_PX = 800;

/**
 * One process instance on its diagram, as Operate draws it: a badge with
 * the active tokens on each element, a red marker and badge where an
 * incident stopped it, the completed elements and taken flows in green.
 * The same is said in words under the diagram for those who cannot see it.
 */
export function InstanceDiagram(props: { xml: string; counts: readonly ElementCounts[]; takenFlows: readonly string[] }) {
  const container = useRef<HTMLDivElement>(null);
  const canvas = useRef<Canvas>();
  const standing = useRef<Box>();
  const [names, setNames] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const key = JSON.stringify([props.counts, props.takenFlows]);

  useEffect(() => {
    if (!container.current) return undefined;
    const viewer = new NavigatedViewer({ container: container.current });
    viewer.importXML(props.xml).then(
      () => {
        canvas.current = viewer.get<Canvas>('canvas');
        const overlays = viewer.get<Overlays>('overlays');
        const registry = viewer.get<Registry>('elementRegistry');
        const found: Record<string, string> = {};
        for (const count of props.counts) {
          const shape = registry.get(count.elementId);
          if (!shape) continue;
          found[count.elementId] = shape.businessObject?.name ?? count.elementId;
          if (count.incidents > 0) {
            canvas.current.addMarker(count.elementId, 'incident');
            overlays.add(count.elementId, { position: { bottom: 12, right: 12 }, html: badge('incident-badge', count.incidents, `${count.incidents} incident${count.incidents === 1 ? '' : 's'}`) });
          }
          if (count.active > 0) {
            canvas.current.addMarker(count.elementId, 'active');
            overlays.add(count.elementId, { position: { bottom: 12, left: -8 }, html: badge('token-badge', count.active, `${count.active} active`) });
          }
          if (count.completed > 0 && count.active === 0 && count.incidents === 0) canvas.current.addMarker(count.elementId, 'done');
        }
        for (const flow of props.takenFlows) if (registry.get(flow)) canvas.current.addMarker(flow, 'taken');
        const holding = props.counts.filter((c) => c.active + c.incidents > 0).map((c) => registry.get(c.elementId)).filter(isDrawn);
        standing.current = holding.length ? boxAround(holding, AROUND) : undefined;
        if (standing.current && (container.current?.clientWidth ?? NARROW_PX) < NARROW_PX) canvas.current.viewbox(standing.current);
        else canvas.current.zoom('fit-viewport');
        setNames(found);
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => viewer.destroy();
  }, [props.xml, key]);

  const nameOf = (id: string) => names[id] ?? id;
  const stopped = props.counts.filter((c) => c.incidents > 0).map((c) => nameOf(c.elementId));
  const active = props.counts.filter((c) => c.active > 0).map((c) => `${nameOf(c.elementId)} (${c.active})`);
  const summary = `${stopped.length ? `Stopped on an incident at: ${stopped.join(', ')}. ` : ''}Active at: ${active.join(', ') || 'nothing'}.`;
  return (
    <figure>
      <DiagramTools canvas={canvas} focusLabel="Where it stands" onFocus={() => standing.current && canvas.current?.viewbox(standing.current)} />
      <div class="diagram" ref={container} role="region" aria-label={`Process diagram. ${summary}`} data-testid="instance-diagram" />
      <figcaption class="muted">{error ? `The diagram could not be shown: ${error}` : summary}</figcaption>
    </figure>
  );
}

function badge(kind: string, count: number, label: string): HTMLElement {
  const element = document.createElement('span');
  element.className = `diagram-badge ${kind}`;
  element.textContent = String(count);
  element.title = label;
  element.setAttribute('aria-hidden', 'true');
  return element;
}
