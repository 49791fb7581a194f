// A two-series line chart as inline SVG: requests per second and 5xx per second over time.
const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * points: [{at, requestsPerSecond, errorsPerSecond}], oldest first. `width` is the drawing's own width; pass
 * about the width it is shown at, so the axis labels stay readable on a phone instead of shrinking.
 */
export function trafficChart(points, { title = 'Traffic', width = 720 } = {}) {
  const height = 200;
  const pad = { left: 48, right: 12, top: 12, bottom: 24 };
  const w = width - pad.left - pad.right;
  const hgt = height - pad.top - pad.bottom;
  const max = Math.max(1, ...points.map((p) => p.requestsPerSecond || 0), ...points.map((p) => p.errorsPerSecond || 0));
  const top = niceCeil(max);
  const x = (i) => pad.left + (points.length <= 1 ? 0 : (i * w) / (points.length - 1));
  const y = (v) => pad.top + hgt - ((v || 0) / top) * hgt;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'chart' });
  const totalRequests = points.reduce((s, p) => s + (p.requestsPerSecond || 0), 0);
  root.append(svg('title', {}, `${title}: up to ${max.toFixed(1)} requests per second over the last ${Math.round(points.length / 6)} minutes`));
  for (const f of [0, 0.5, 1]) {
    const yy = pad.top + hgt - f * hgt;
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: yy, y2: yy, class: 'grid' }));
    root.append(svg('text', { x: pad.left - 6, y: yy + 4, 'text-anchor': 'end', class: 'axis' }, `${fmt(top * f)}`));
  }
  root.append(svg('text', { x: pad.left, y: height - 6, class: 'axis' }, '−15 min'));
  root.append(svg('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'axis' }, 'now'));
  const line = (key, cls) => svg('polyline', {
    points: points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' '), class: cls, fill: 'none',
  });
  root.append(line('requestsPerSecond', 'series-requests'), line('errorsPerSecond', 'series-errors'));
  if (totalRequests === 0) {
    root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'axis' }, 'No traffic in the last 15 minutes'));
  }
  return root;
}

function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v);
}

function fmt(v) {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
