// A two-series line chart as inline SVG: requests per second and 5xx per second over time, with clock-time
// ticks and a read-out of the bucket under the pointer (or chosen with the arrow keys).
const NS = 'http://www.w3.org/2000/svg';
const TICK_MINUTES = 5;

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

function clock(ms, seconds = false) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: seconds ? '2-digit' : undefined });
}

/** The text of one bucket, for the read-out and for screen readers. */
export function describePoint(p, bucketSeconds = 10) {
  const start = Date.parse(p.at);
  const span = `${clock(start, true)}–${clock(start + bucketSeconds * 1000, true)}`;
  return `${span}: ${fmt(p.requestsPerSecond || 0)} requests/s, ${fmt(p.errorsPerSecond || 0)} 5xx/s`;
}

/**
 * points: [{at, requestsPerSecond, errorsPerSecond}], oldest first. `width` is the drawing's own width; pass
 * about the width it is shown at, so the axis labels stay readable on a phone instead of shrinking. Answers a
 * figure: the chart, focusable (arrow keys move the read-out), and the read-out line under it.
 */
export function trafficChart(points, { title = 'Traffic', width = 720, bucketSeconds = 10 } = {}) {
  const height = 200;
  const pad = { left: 48, right: 12, top: 12, bottom: 24 };
  const w = width - pad.left - pad.right;
  const hgt = height - pad.top - pad.bottom;
  const max = Math.max(1, ...points.map((p) => p.requestsPerSecond || 0), ...points.map((p) => p.errorsPerSecond || 0));
  const top = niceCeil(max);
  const x = (i) => pad.left + (points.length <= 1 ? 0 : (i * w) / (points.length - 1));
  const y = (v) => pad.top + hgt - ((v || 0) / top) * hgt;
  const minutes = Math.round((points.length * bucketSeconds) / 60);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', 'aria-hidden': 'true', focusable: 'false' });
  const totalRequests = points.reduce((s, p) => s + (p.requestsPerSecond || 0), 0);
  for (const f of [0, 0.5, 1]) {
    const yy = pad.top + hgt - f * hgt;
    root.append(svg('line', { x1: pad.left, x2: width - pad.right, y1: yy, y2: yy, class: 'grid' }));
    root.append(svg('text', { x: pad.left - 6, y: yy + 4, 'text-anchor': 'end', class: 'axis' }, `${fmt(top * f)}`));
  }
  // Clock-time ticks on whole TICK_MINUTES, fewer of them when the drawing is narrow.
  const every = width < 480 ? 2 * TICK_MINUTES : TICK_MINUTES;
  points.forEach((p, i) => {
    const t = new Date(Date.parse(p.at));
    if (t.getSeconds() !== 0 || t.getMinutes() % every !== 0) return;
    const xx = x(i);
    root.append(svg('line', { x1: xx, x2: xx, y1: pad.top + hgt, y2: pad.top + hgt + 4, class: 'tick' }));
    if (xx > pad.left + 20 && xx < width - pad.right - 40) {
      root.append(svg('text', { x: xx, y: height - 6, 'text-anchor': 'middle', class: 'axis tick-label' }, clock(t.getTime())));
    }
  });
  root.append(svg('text', { x: width - pad.right, y: height - 6, 'text-anchor': 'end', class: 'axis' }, 'now'));
  const line = (key, cls) => svg('polyline', {
    points: points.map((p, i) => `${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' '), class: cls, fill: 'none',
  });
  root.append(line('requestsPerSecond', 'series-requests'), line('errorsPerSecond', 'series-errors'));
  if (totalRequests === 0) {
    root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'axis' }, `No traffic in the last ${minutes} minutes`));
  }
  const cursor = svg('line', { x1: 0, x2: 0, y1: pad.top, y2: pad.top + hgt, class: 'cursor', visibility: 'hidden' });
  const dotRequests = svg('circle', { r: 4, class: 'dot-requests', visibility: 'hidden' });
  const dotErrors = svg('circle', { r: 4, class: 'dot-errors', visibility: 'hidden' });
  root.append(cursor, dotRequests, dotErrors);

  const summary = `${title}: up to ${fmt(max)} requests per second over the last ${minutes} minutes.`;
  const readout = document.createElement('p');
  readout.className = 'readout';
  readout.setAttribute('aria-live', 'polite');
  readout.textContent = points.length ? 'Point at the chart, or focus it and use the arrow keys, to read a moment.' : '';
  const figure = document.createElement('div');
  figure.className = 'chart-figure';
  figure.tabIndex = 0;
  figure.setAttribute('role', 'group');
  figure.setAttribute('aria-label', `${summary} Left and right arrow keys read each 10-second bucket.`);
  figure.append(root, readout);

  let shown = -1;
  function show(i) {
    if (!points.length) return;
    shown = Math.max(0, Math.min(points.length - 1, i));
    const p = points[shown];
    const xx = x(shown).toFixed(1);
    cursor.setAttribute('x1', xx);
    cursor.setAttribute('x2', xx);
    dotRequests.setAttribute('cx', xx);
    dotRequests.setAttribute('cy', y(p.requestsPerSecond).toFixed(1));
    dotErrors.setAttribute('cx', xx);
    dotErrors.setAttribute('cy', y(p.errorsPerSecond).toFixed(1));
    for (const el of [cursor, dotRequests, dotErrors]) el.setAttribute('visibility', 'visible');
    readout.textContent = describePoint(p, bucketSeconds);
    figure.dataset.index = String(shown);
  }
  root.addEventListener('mousemove', (e) => {
    const box = root.getBoundingClientRect();
    if (!box.width || points.length < 2) return;
    const drawingX = ((e.clientX - box.left) / box.width) * width;
    show(Math.round(((drawingX - pad.left) / w) * (points.length - 1)));
  });
  figure.addEventListener('keydown', (e) => {
    const moves = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const step = moves[e.key];
    show(Number.isFinite(step) ? (shown < 0 ? points.length - 1 : shown + step) : step < 0 ? 0 : points.length - 1);
  });
  return figure;
}

function niceCeil(v) {
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((c) => c >= v);
}

function fmt(v) {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
