import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { Series } from '../../api-types.js';

Chart.register(BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

const label = (ms: number, bucketMs: number): string => new Date(ms).toISOString().slice(5, bucketMs >= 86_400_000 ? 10 : 16).replace('T', ' ');

/** Requests as bars and completion tokens as a line on its own axis, bucketed by the server. */
export function drawTimeline(canvas: HTMLCanvasElement, series: Series): Chart {
  Chart.getChart(canvas)?.destroy();
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: series.points.map((p) => label(p.startMs, series.bucketMs)),
      datasets: [
        { type: 'bar', label: 'Requests', data: series.points.map((p) => p.requests), backgroundColor: '#4a78c2', yAxisID: 'requests' },
        { type: 'line', label: 'Completion tokens', data: series.points.map((p) => p.completionTokens), borderColor: '#c2544a', pointRadius: 0, yAxisID: 'tokens' },
      ],
    },
    options: {
      // Animation would print a half-drawn chart into a PDF and costs page-load time.
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        // Counts: a tick at 0.5 requests would be a value no bucket can hold.
        requests: { type: 'linear', position: 'left', beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'requests' } },
        tokens: { type: 'linear', position: 'right', beginAtZero: true, ticks: { precision: 0 }, grid: { drawOnChartArea: false }, title: { display: true, text: 'completion tokens' } },
      },
    },
  });
}
