import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Charts go next to docs/BENCHMARKS.md, which shows them as `charts/<name>.svg`. */
const CHART_DIR = fileURLToPath(new URL('../../../docs/charts/', import.meta.url));
const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = { top: 40, right: 180, bottom: 50, left: 70 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fixed = (value: number) => Number(value.toFixed(1));

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${fixed(x)}" y="${fixed(y)}" ${attributes}>${escape(content)}</text>`;
}

function write(name: string, title: string, body: string[]): void {
  mkdirSync(CHART_DIR, { recursive: true });
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(WIDTH / 2, 22, title, 'text-anchor="middle" font-size="14" font-weight="bold"'),
    ...body,
    '</svg>',
  ].join('\n');
  writeFileSync(`${CHART_DIR}${name}.svg`, `${svg}\n`);
}

/** Evenly spaced round numbers covering [min, max]. */
function ticks(min: number, max: number, count = 5): number[] {
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const values: number[] = [];
  for (let value = Math.ceil(min / step) * step; value <= max + step / 1e6; value += step) values.push(Number(value.toPrecision(12)));
  return values;
}

function yAxis(min: number, max: number, label: string): { y: (value: number) => number; parts: string[] } {
  const y = (value: number) => MARGIN.top + PLOT_H - ((value - min) / (max - min || 1)) * PLOT_H;
  const parts = ticks(min, max).flatMap((value) => [
    `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${fixed(y(value))}" y2="${fixed(y(value))}" stroke="#ddd"/>`,
    text(MARGIN.left - 6, y(value) + 4, String(value), 'text-anchor="end"'),
  ]);
  parts.push(text(16, MARGIN.top + PLOT_H / 2, label, `text-anchor="middle" transform="rotate(-90 16 ${MARGIN.top + PLOT_H / 2})"`));
  return { y, parts };
}

export interface BarChart {
  readonly title: string;
  readonly bars: readonly { label: string; value: number }[];
  /** A dashed line across the chart, e.g. the target. */
  readonly target?: number;
  readonly min: number;
  readonly max: number;
}

/** Writes docs/charts/<name>.svg: one bar per entry, with its value printed on it. */
export function barChart(name: string, chart: BarChart): void {
  const { y, parts } = yAxis(chart.min, chart.max, 'ratio');
  const slot = PLOT_W / chart.bars.length;
  chart.bars.forEach((bar, index) => {
    const x = MARGIN.left + slot * index + slot * 0.2;
    const top = y(Math.min(Math.max(bar.value, chart.min), chart.max));
    parts.push(
      `<rect x="${fixed(x)}" y="${fixed(top)}" width="${fixed(slot * 0.6)}" height="${fixed(MARGIN.top + PLOT_H - top)}" fill="${COLOURS[index % COLOURS.length]}"/>`,
      text(x + slot * 0.3, top - 6, bar.value.toFixed(3), 'text-anchor="middle"'),
      text(x + slot * 0.3, MARGIN.top + PLOT_H + 18, bar.label, 'text-anchor="middle" font-size="11"'),
    );
  });
  if (chart.target !== undefined) {
    const line = fixed(y(chart.target));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${line}" y2="${line}" stroke="black" stroke-dasharray="6 4"/>`,
      text(MARGIN.left + PLOT_W + 6, line + 4, `target ${chart.target}`),
    );
  }
  write(name, chart.title, parts);
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly { label: string; points: readonly (readonly [number, number])[] }[];
  /** Vertical markers, e.g. token expiries. */
  readonly markers?: readonly { x: number; label: string }[];
}

/** Writes docs/charts/<name>.svg: one polyline per series, legend on the right. */
export function lineChart(name: string, chart: LineChart): void {
  const all = chart.series.flatMap((series) => series.points);
  const xMax = Math.max(...all.map(([x]) => x), 1);
  const yMax = Math.max(...all.map(([, y]) => y), 1) * 1.05;
  const { y, parts } = yAxis(0, yMax, chart.yLabel);
  const x = (value: number) => MARGIN.left + (value / xMax) * PLOT_W;
  for (const value of ticks(0, xMax)) parts.push(text(x(value), MARGIN.top + PLOT_H + 16, String(value), 'text-anchor="middle"'));
  parts.push(text(MARGIN.left + PLOT_W / 2, HEIGHT - 10, chart.xLabel, 'text-anchor="middle"'));
  for (const marker of (chart.markers ?? []).filter((candidate) => candidate.x <= xMax)) {
    parts.push(
      `<line x1="${fixed(x(marker.x))}" x2="${fixed(x(marker.x))}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}" stroke="#999" stroke-dasharray="3 3"/>`,
    );
  }
  chart.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const points = series.points.map(([px, py]) => `${fixed(x(px))},${fixed(y(py))}`).join(' ');
    parts.push(
      `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="1.5"/>`,
      `<rect x="${WIDTH - MARGIN.right + 16}" y="${MARGIN.top + index * 20}" width="12" height="12" fill="${colour}"/>`,
      text(WIDTH - MARGIN.right + 34, MARGIN.top + index * 20 + 10, series.label),
    );
  });
  write(name, chart.title, parts);
}
