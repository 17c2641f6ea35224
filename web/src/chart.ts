// The trend chart: Chart.js with only the parts a line chart needs (a smaller bundle). The chart
// is a picture for sighted users; the same figures stand in a table beside it.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

export interface TrendSeries {
  label: string;
  values: (number | null)[];
  dashed?: boolean;
  color: string;
}

export function lineChart(canvas: HTMLCanvasElement, labels: string[], series: TrendSeries[]): Chart {
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s) => ({
        label: s.label,
        data: s.values,
        borderColor: s.color,
        backgroundColor: s.color,
        borderDash: s.dashed ? [6, 4] : [],
        pointRadius: s.dashed ? 0 : 4,
        spanGaps: false,
        tension: 0,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: 'da-DK',
      scales: {
        y: { min: 0, max: 100, ticks: { callback: (v) => `${v} %` }, title: { display: true, text: 'Andel rettidigt' } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${item.formattedValue} %` } },
      },
    },
  });
}
