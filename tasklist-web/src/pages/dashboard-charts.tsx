import { BarController, BarElement, CategoryScale, Chart, type ChartConfiguration, Legend, LinearScale, Tooltip } from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';
import { useEffect, useRef } from 'preact/hooks';

// Only the parts the dashboard draws (chart.js is tree-shaken this way); annotations draw the targets.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip, annotationPlugin);

/** Colours that keep a 3:1 contrast on white and apart from each other for common colour blindness (Okabe-Ito). */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7'];

export interface BarSeries {
  readonly label: string;
  readonly values: readonly number[];
}

/**
 * A bar chart drawn by chart.js. The canvas is an image to assistive
 * technology, labelled with what it shows; the table next to it carries the
 * same figures for reading (and for keyboards: a canvas holds no focus).
 */
/** A target drawn across the bars (a dashed line at its value, labelled), e.g. "target: 2 h". */
export interface ReferenceLine {
  readonly value: number;
  readonly label: string;
}

export function BarChart(props: { label: string; categories: readonly string[]; series: readonly BarSeries[]; horizontal?: boolean; unit?: string; references?: readonly ReferenceLine[]; max?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'>>();
  useEffect(() => {
    if (!canvas.current) return;
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: {
        labels: [...props.categories],
        datasets: props.series.map((series, i) => ({ label: series.label, data: [...series.values], backgroundColor: SERIES_COLOURS[i % SERIES_COLOURS.length] })),
      },
      options: {
        indexAxis: props.horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: 'bottom' },
          annotation: {
            annotations: Object.fromEntries(
              (props.references ?? []).map((line, i) => [
                `reference-${i}`,
                { type: 'line' as const, scaleID: props.horizontal ? 'x' : 'y', value: line.value, borderColor: '#1d2430', borderWidth: 2, borderDash: [6, 4], label: { display: true, content: line.label, position: 'end' as const, backgroundColor: '#1d2430', color: '#ffffff' } },
              ]),
            ),
          },
        },
        scales: { [props.horizontal ? 'x' : 'y']: { beginAtZero: true, ...(props.max !== undefined ? { max: props.max } : {}), title: { display: Boolean(props.unit), text: props.unit ?? '' } } },
      },
    };
    chart.current?.destroy();
    chart.current = new Chart(canvas.current, config);
    return () => chart.current?.destroy();
  }, [JSON.stringify([props.categories, props.series, props.horizontal, props.references, props.max])]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}
