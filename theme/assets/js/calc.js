// Live calculators. The build prints every figure, so the page is complete
// without this script; here the WebAssembly build of the calc engine is
// loaded on intent (a pointer, focus or key on a calculator, a scenario in
// the URL; at idle only on a fast connection) and every dependent value is
// recomputed on each input. Figures that change are marked for a moment,
// with the value they replaced.
//
// DOM contract (written by internal/calcblock): a calculator root is
// [data-calc=ID] with its sheet text in data-source; every value is
// [data-cell="ID.CELL"] with its base-unit value in data-value; inputs are
// named after their cells; inline inputs are .calc-inline[data-input].

const sheets = new Map(); // id → {root, source, overrides: Map, defaults: Map}
let engineURL = '';
let execURL = '';
let enginePromise = null;


// engine loads wasm_exec.js and the module once, resolving to the API the
// Go side registers (scalebookCalc.eval / .format).
function engine() {
  if (enginePromise) return enginePromise;
  setStatus('Loading the calculator…');
  enginePromise = new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = execURL;
    script.onerror = () => reject(new Error('cannot load ' + execURL));
    script.onload = async () => {
      try {
        const go = new window.Go();
        // A sheet evaluates in well under a millisecond, but a collection
        // of the engine's small heap can take several; collect less often.
        go.env = Object.assign({}, go.env, { GOGC: '800' });
        window.scalebookCalcReady = () => resolve(window.scalebookCalc);
        let result;
        try {
          result = await WebAssembly.instantiateStreaming(fetch(engineURL), go.importObject);
        } catch (err) {
          // Servers that do not send application/wasm need the slow path.
          const bytes = await (await fetch(engineURL)).arrayBuffer();
          result = await WebAssembly.instantiate(bytes, go.importObject);
        }
        go.run(result.instance);
      } catch (err) {
        reject(err);
      }
    };
    document.head.appendChild(script);
  });
  enginePromise.then((a) => {
    setStatus('');
    // The first evaluation compiles the engine's hot paths; doing it now,
    // before the reader's first change, keeps that change quick.
    for (const s of sheets.values()) a.eval(s.source, {});
    warmUp(a);
  }, (err) => {
    for (const s of sheets.values()) s.root.dataset.calcState = 'error';
    setStatus('The calculator could not load; the figures shown are the defaults.');
    console.warn('scalebook: calculators stay static:', err);
  });
  return enginePromise;
}

// warmUp evaluates the sheets again while the page is idle, until the
// reader changes something. The browser first runs WebAssembly from
// quickly made baseline code and optimizes the functions that run often
// in the background; until it has, each update takes several times
// longer (measured on the Twitter case study: 10–30 ms for the first
// thirty changes, 3–5 ms after). A few dozen evaluations in idle slices
// get the optimizing done before the reader needs it.
const warmUpRuns = 60;
let warmUpStopped = false;

function warmUp(api) {
  const work = [];
  for (const s of sheets.values()) {
    const [first] = s.defaults.keys();
    work.push([s.source, {}], [s.source, first ? { [first]: s.defaults.get(first) } : {}]);
  }
  if (!work.length) return;
  let n = 0;
  const idle = window.requestIdleCallback || ((fn) => setTimeout(() => fn({ timeRemaining: () => 8 }), 50));
  const step = (deadline) => {
    while (n < warmUpRuns && !warmUpStopped && deadline.timeRemaining() > 3) {
      const [source, overrides] = work[n % work.length];
      api.eval(source, overrides);
      n++;
    }
    if (n < warmUpRuns && !warmUpStopped) idle(step);
  };
  idle(step);
}

// setStatus shows a quiet line in every calculator's actions row, which
// has room for it from the first paint.
function setStatus(text) {
  for (const s of sheets.values()) {
    const el = s.root.querySelector('.calc-status');
    if (el && el.textContent !== text) el.textContent = text;
  }
}

// index finds every element a sheet updates once, so an update touches the
// DOM only where values live.
function index(s) {
  s.els = new Map();
  s.workings = new Map();
  s.sliders = new Map();
  const add = (m, k, v) => (m.get(k) || m.set(k, []).get(k)).push(v);
  for (const el of document.querySelectorAll(`[data-cell^="${s.id}."]`)) add(s.els, el.dataset.cell.slice(s.id.length + 1), el);
  for (const el of document.querySelectorAll(`[data-working^="${s.id}."]`)) add(s.workings, el.dataset.working.slice(s.id.length + 1), el);
  for (const el of s.root.querySelectorAll('input[type="range"][data-for]')) s.sliders.set(el.dataset.for, el);
  // The "was" line under each key result, found once rather than per
  // changed figure per update.
  s.was = new Map();
  for (const els of s.els.values()) {
    for (const el of els) {
      const was = el.parentElement && el.parentElement.querySelector('.calc-was');
      if (was) s.was.set(el, was);
    }
  }
  // Each cell as last written to the page (see evaluate), the figures
  // marked as changed, and the inline figures that explain themselves.
  s.shown = new Map();
  s.marked = new Set();
  s.explained = new Set();
  for (const els of s.els.values()) for (const el of els) if (el.dataset.why !== undefined) s.explained.add(el);
}

function fieldOf(s, name) {
  return s.root.querySelector(`.calc-inputs input[type="text"][name="${name}"]`);
}

// readerError turns the engine's complaint about an input into the
// reader's words: the input by its label, what kind of value it takes, an
// example and the slider's range, then the engine's detail.
function readerError(s, name, detail) {
  const field = fieldOf(s, name);
  if (!field) return detail;
  const label = s.root.querySelector(`label[for="${field.id}"]`);
  const what = label ? label.textContent : name;
  let msg = `${what}: type ${field.dataset.kind || 'a value'}, such as ${field.dataset.default}`;
  if (field.dataset.lo) msg += ` (the slider runs from ${field.dataset.lo} to ${field.dataset.hi})`;
  return msg + '. ' + detail.charAt(0).toUpperCase() + detail.slice(1) + '.';
}

// showError sets or clears an input's error. It touches the DOM only when
// the message changes: it runs for every input on every update.
function showError(s, name, msg) {
  msg = msg ? readerError(s, name, msg) : '';
  if ((s.errors.get(name) || '') === msg) return;
  s.errors.set(name, msg);
  const err = document.getElementById(`calc-${s.id}-${name}-err`);
  const field = fieldOf(s, name);
  if (err) {
    err.textContent = msg || '';
    err.hidden = !msg;
  }
  if (field) {
    if (msg) field.setAttribute('aria-invalid', 'true');
    else field.removeAttribute('aria-invalid');
    // A folded input with a problem (from a shared link) shows itself.
    const more = field.closest('details.calc-more');
    if (msg && more) more.open = true;
  }
  for (const el of document.querySelectorAll(`.calc-inline[data-input="${s.id}.${name}"]`)) {
    if (msg) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}

// decode unpacks the engine's reply: records of
// name␟value␟text␟working␟error␟range[␟low␟high] separated by ␞, the last
// record holding sheet-wide errors. A figure that depends on an estimate
// the author gave as a range ("200M..400M users") has its range, which is
// what it shows.
function decode(str) {
  const records = str.split('\x1e');
  const tail = records.pop();
  const cells = records.map((r) => {
    const [name, value, text, working, error, range, low, high] = r.split('\x1f');
    const v = +value;
    return {
      name, value: v, text, working, error, range: range || '', record: r,
      shown: range || text, low: low === undefined ? v : +low, high: high === undefined ? v : +high,
    };
  });
  return { cells, errors: tail ? tail.split('\x1f') : [] };
}

// evaluate tries the overrides with one input changed; results update only
// when every input parses, so a half-typed value never blanks the page.
function evaluate(api, s, changed, text) {
  const t0 = performance.now();
  warmUpStopped = true; // the reader's own changes warm it from here
  const candidate = new Map(s.overrides);
  if (changed) {
    if (text === s.defaults.get(changed)) candidate.delete(changed);
    else candidate.set(changed, text);
  }
  const res = decode(api.eval(s.source, Object.fromEntries(candidate)));
  s.root.dataset.evalMs = (performance.now() - t0).toFixed(2);
  if (!res.cells.length) {
    console.warn('scalebook:', res.errors.join('; '));
    return false;
  }
  let bad = false;
  for (const c of res.cells) {
    if (s.defaults.has(c.name)) {
      showError(s, c.name, c.error && candidate.has(c.name) ? c.error.replace(/^\d+:\d+: /, '') : '');
      if (c.error && candidate.has(c.name)) bad = true;
    }
  }
  if (bad) return false;
  s.overrides = candidate;
  // The DOM is written only where a cell's record changed, and then only
  // the parts that changed, judged against what was last written (kept
  // here) rather than read back from the DOM: every read and write of an
  // element costs style and accessibility work. The first update, before
  // anything was kept, compares with the page as built.
  const changedEls = [];
  for (const c of res.cells) {
    const prev = s.shown.get(c.name);
    if (prev && prev.record === c.record) continue;
    s.shown.set(c.name, c);
    const valueMoved = !prev || prev.value !== c.value;
    const rangeMoved = !prev || prev.range !== c.range || prev.low !== c.low || prev.high !== c.high;
    for (const el of s.els.get(c.name) || []) {
      if (el.tagName === 'INPUT') {
        if (document.activeElement !== el && el.value !== c.shown) el.value = c.shown;
      } else {
        const old = prev ? prev.shown : el.textContent;
        if (old !== c.shown) {
          changedEls.push([el, old]);
          el.textContent = c.shown;
        }
        if (s.explained.has(el)) pendingWhy.set(el, c.working);
      }
      if (valueMoved) el.dataset.value = String(c.value);
      if (rangeMoved) {
        if (c.range) {
          el.dataset.low = String(c.low);
          el.dataset.high = String(c.high);
        } else if (prev && prev.range) {
          delete el.dataset.low;
          delete el.dataset.high;
        }
      }
    }
    if (!prev || prev.working !== c.working) {
      for (const el of s.workings.get(c.name) || []) el.textContent = c.working;
    }
    const slider = s.sliders.get(c.name);
    if (slider) {
      if (valueMoved && document.activeElement !== slider) setSlider(slider, c.value);
      if (!prev || prev.shown !== c.shown) slider.setAttribute('aria-valuetext', c.shown);
    }
  }
  markChanged(s, changedEls);
  scheduleURL();
  s.values = new Map(res.cells.map((c) => [c.name, c.value]));
  scheduleViews(api, s, res);
  const ms = performance.now() - t0;
  s.root.dataset.updateMs = ms.toFixed(2);
  return true;
}

// pendingWhy and pendingWas hold an inline figure's working and the value
// it replaced until a pointer comes over it: the theme shows them from
// data-why and data-was on hover, and writing two long attributes on every
// figure at every keystroke would cost more than the rest of the update.
const pendingWhy = new WeakMap();
const pendingWas = new WeakMap();

function explain(e) {
  const el = e.target instanceof Element && e.target.closest('.calc-fig');
  if (!el) return;
  if (pendingWhy.has(el)) {
    el.dataset.why = pendingWhy.get(el);
    pendingWhy.delete(el);
  }
  if (pendingWas.has(el)) {
    el.dataset.was = pendingWas.get(el);
    pendingWas.delete(el);
  }
}

// markChanged marks the figures an update changed, for a moment (the
// theme fades the mark), and keeps what each replaced: under the key
// results beside the inputs (and in their data-was), and for the others in
// data-was once a pointer comes over them (explain). Not in title: setting
// a title costs milliseconds per figure (the accessibility tree follows
// it). The key results' summary is announced once typing pauses.
function markChanged(s, changed) {
  // An update that moved nothing (a keystroke that reads the same) leaves
  // the last marks to fade on their own.
  if (!changed.length) return;
  clearTimeout(s.markTimer);
  const next = new Set(changed.map(([el]) => el));
  for (const el of s.marked) if (!next.has(el)) el.classList.remove('calc-changed');
  for (const [el, old] of changed) {
    if (!s.marked.has(el)) el.classList.add('calc-changed');
    const was = s.was.get(el);
    if (was) {
      el.dataset.was = old;
      was.textContent = `was ${old}`;
    } else {
      pendingWas.set(el, old);
    }
  }
  s.marked = next;
  s.markTimer = setTimeout(() => {
    for (const el of s.marked) el.classList.remove('calc-changed');
    s.marked = new Set();
  }, 1500);
  scheduleAnnounce(s);
}

// scheduleAnnounce tells screen readers the key results (or the first few
// results) once typing pauses: a summary, not every row on every key.
function scheduleAnnounce(s) {
  clearTimeout(s.announceTimer);
  s.announceTimer = setTimeout(() => {
    const region = s.root.querySelector('.calc-announce');
    if (!region) return;
    const rows = s.root.querySelectorAll('.calc-key > div');
    const parts = [];
    if (rows.length) {
      for (const r of rows) parts.push(`${r.querySelector('dt').textContent} ${r.querySelector('output').textContent}`);
    } else {
      for (const r of [...s.root.querySelectorAll('.calc-results tr')].slice(0, 4)) {
        parts.push(`${r.querySelector('th').textContent} ${r.querySelector('output').textContent}`);
      }
    }
    region.textContent = 'Now: ' + parts.join('; ') + '.';
  }, 800);
}

// scheduleViews redraws the views that re-evaluate the sheet many times
// (charts, scenarios, the sensitivity table) once typing pauses: each
// keystroke updates the figures at once, and the views follow.
function scheduleViews(api, s, res) {
  clearTimeout(s.viewsTimer);
  s.viewsTimer = setTimeout(() => {
    if (s.sens && s.sens.open) drawSensitivity(api, s);
    for (const fig of s.charts) drawChart(api, s, fig);
    if (s.scen) drawScenarios(api, s, res);
  }, 120);
}

// Charts are redrawn with the geometry internal/calcblock/chart.go uses at
// build time: the same viewBox, margins, round y steps and labels.
const chart = { w: 640, h: 260, left: 8, right: 8, top: 24, bottom: 32, ticks: 4 };
chart.plotW = chart.w - chart.left - chart.right;
chart.plotH = chart.h - chart.top - chart.bottom;

function niceStep(raw) {
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / mag;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

const coord = (v) => String(Math.round(v * 10) / 10);

function svgEl(tag, attrs, text) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// drawChart asks the engine for the chart's points with the reader's
// inputs, then redraws its lines, axis labels and table.
function drawChart(api, s, fig) {
  const reply = api.sweep(s.source, Object.fromEntries(s.overrides), +fig.dataset.chartIndex);
  if (!reply || reply.startsWith('\x1e')) return;
  const points = reply.split('\x1e').map((r) => r.split('\x1f'));
  const n = points.length, lines = (points[0].length - 2) / 2;
  const ys = [];
  for (let j = 0; j < lines; j++) ys.push(points.map((p) => +p[2 + 2 * j]));
  // Steps are round in the unit the reader sees (data-chart-unit).
  const unit = +fig.dataset.chartUnit || 1;
  let lo = 0, hi = -Infinity;
  for (const line of ys) for (const v of line) if (v === v) { lo = Math.min(lo, v / unit); hi = Math.max(hi, v / unit); }
  if (hi === -Infinity || hi <= lo) hi = lo + 1;
  let step = niceStep((hi - lo) / chart.ticks);
  lo = Math.floor(lo / step) * step * unit;
  hi = Math.ceil(hi / step) * step * unit;
  step *= unit;
  const y = (v) => chart.top + chart.plotH * (1 - (v - lo) / (hi - lo));
  const x = (k) => chart.left + (chart.plotW * k) / (n - 1);
  const first = fig.dataset.chart.slice(s.id.length + 1);
  const grid = svgEl('g', { class: 'calc-chart-grid' });
  for (let t = lo; t <= hi + step / 2; t += step) {
    const ty = coord(y(t));
    grid.append(svgEl('line', { x1: String(chart.left), x2: String(chart.w - chart.right), y1: ty, y2: ty }));
    grid.append(svgEl('text', { class: 'calc-chart-ylabel', x: String(chart.left), y: coord(y(t) - 5) }, api.format(s.source, first, t)));
  }
  for (let k = 0; k < n; k += (n - 1) / 4) {
    const anchor = k === 0 ? 'start' : k === n - 1 ? 'end' : 'middle';
    const cls = 'calc-chart-xlabel' + (k % ((n - 1) / 2) !== 0 ? ' calc-chart-xminor' : '');
    grid.append(svgEl('text', { class: cls, x: coord(x(k)), y: String(chart.h - 10), 'text-anchor': anchor }, points[k][1]));
  }
  const svg = fig.querySelector('svg');
  svg.querySelector('.calc-chart-grid').replaceWith(grid);
  ys.forEach((line, j) => {
    const pts = [];
    line.forEach((v, k) => { if (v === v) pts.push(coord(x(k)) + ',' + coord(y(v))); });
    const el = svg.querySelector('.calc-chart-line-' + j);
    if (el) el.setAttribute('points', pts.join(' '));
  });
  // The mark at the input's value moves with it.
  const now = svg.querySelector('.calc-chart-now');
  const x0 = +points[0][0], x1 = +points[n - 1][0];
  const xName = fig.dataset.chartX;
  const v = s.values && xName ? s.values.get(xName) : undefined;
  if (now && v !== undefined) {
    const log = fig.dataset.chartLog === 'true';
    const f = log ? Math.log(v / x0) / Math.log(x1 / x0) : (v - x0) / (x1 - x0);
    now.setAttribute('visibility', f >= 0 && f <= 1 ? 'visible' : 'hidden');
    const nx = coord(chart.left + chart.plotW * Math.min(Math.max(f, 0), 1));
    now.setAttribute('x1', nx);
    now.setAttribute('x2', nx);
  }
  const rows = fig.querySelectorAll('.calc-chart-data tbody tr');
  points.forEach((p, k) => {
    const row = rows[k];
    if (!row) return;
    row.cells[0].textContent = p[1];
    for (let j = 0; j < lines; j++) if (row.cells[j + 1]) row.cells[j + 1].textContent = p[3 + 2 * j];
  });
}

// drawScenarios recomputes the scenarios side by side: the inputs as set,
// then each scenario's values over them, and the difference column as
// internal/calcblock/scenarios.go writes it.
function drawScenarios(api, s, res) {
  const table = s.scen;
  const scen = JSON.parse(table.dataset.scenarios);
  const [from, to] = table.dataset.diff.split(',').map(Number);
  const cols = [res];
  for (const sc of scen) {
    const merged = Object.assign(Object.fromEntries(s.overrides), sc.set);
    cols.push(decode(api.eval(s.source, merged)));
  }
  const byName = cols.map((r) => new Map(r.cells.map((c) => [c.name, c])));
  for (const row of table.querySelectorAll('tbody tr[data-row]')) {
    const name = row.dataset.row;
    byName.forEach((m, i) => {
      const c = m.get(name);
      if (c && row.cells[i + 1]) row.cells[i + 1].textContent = c.error ? '—' : c.shown;
    });
    const a = byName[from].get(name), b = byName[to].get(name);
    const diff = row.cells[cols.length + 1];
    if (!a || !b || !diff) continue;
    const d = b.value - a.value;
    if (d === 0) {
      diff.textContent = 'same';
      continue;
    }
    const sign = d < 0 ? '−' : '+';
    let text = sign + api.format(s.source, name, Math.abs(d));
    if (a.value !== 0) {
      const r = b.value / a.value;
      const pct = (x) => { const p = x * 100; return (p >= 10 ? String(Math.round(p)) : String(+p.toPrecision(2))) + '%'; };
      const sig3 = (x) => String(+x.toPrecision(3));
      text += ' (' + (r >= 2 ? '×' + sig3(r) : r > 0 && r <= 0.5 ? '÷' + sig3(1 / r) : r >= 1 ? '+' + pct(r - 1) : '−' + pct(Math.abs(r - 1))) + ')';
    }
    diff.textContent = text;
  }
}

// drawSensitivity redraws the "which assumption matters" table for the
// chosen result with the inputs as the reader has set them. The bars are
// drawn as internal/calcblock draws them at build time.
function drawSensitivity(api, s) {
  const select = s.sens.querySelector('select');
  const cell = select.value;
  const reply = api.sensitivity(s.source, Object.fromEntries(s.overrides), cell, 0.1);
  if (reply.startsWith('\x1e')) return;
  const rows = reply ? reply.split('\x1e').map((r) => r.split('\x1f')) : [];
  const point = s.values ? s.values.get(cell) : 0;
  let widest = 0;
  for (const r of rows) widest = Math.max(widest, Math.abs(+r[6] - point), Math.abs(+r[7] - point));
  const x = (v) => (widest === 0 ? 50 : 50 + (50 * (v - point)) / widest);
  const r2 = (v) => String(Math.round(v * 100) / 100);
  const svgNS = 'http://www.w3.org/2000/svg';
  const tbody = document.createElement('tbody');
  for (const r of rows) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = r[1] || r[0];
    const lo = document.createElement('td');
    lo.textContent = r[2] + ' → ' + r[4];
    const hi = document.createElement('td');
    hi.textContent = r[3] + ' → ' + r[5];
    const bar = document.createElement('td');
    const svg = document.createElementNS(svgNS, 'svg');
    svg.setAttribute('class', 'calc-sens-bar');
    svg.setAttribute('viewBox', '0 0 100 10');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('aria-hidden', 'true');
    const a = x(Math.min(+r[6], +r[7])), z = x(Math.max(+r[6], +r[7]));
    const l0 = Math.min(a, 50), l1 = Math.min(z, 50), h0 = Math.max(a, 50), h1 = Math.max(z, 50);
    for (const [cls, bx, bw] of [['calc-sens-low', l0, l1 - l0], ['calc-sens-high', h0, h1 - h0]]) {
      const rect = document.createElementNS(svgNS, 'rect');
      rect.setAttribute('class', cls);
      rect.setAttribute('x', r2(bx));
      rect.setAttribute('y', '1');
      rect.setAttribute('width', r2(bw));
      rect.setAttribute('height', '8');
      svg.append(rect);
    }
    const line = document.createElementNS(svgNS, 'line');
    for (const [k, v] of [['x1', '50'], ['y1', '0'], ['x2', '50'], ['y2', '10']]) line.setAttribute(k, v);
    svg.append(line);
    bar.append(svg);
    tr.append(th, lo, hi, bar);
    tbody.append(tr);
  }
  const table = s.sens.querySelector('table');
  table.querySelector('tbody').replaceWith(tbody);
  table.querySelector('.calc-sens-target').textContent = select.options[select.selectedIndex].text;
}

function setSlider(slider, value) {
  if (slider.dataset.log) {
    const lo = Math.log(+slider.dataset.min), hi = Math.log(+slider.dataset.max);
    slider.value = String(Math.round(((Math.log(value) - lo) / (hi - lo)) * 1000));
  } else {
    slider.value = String(value);
  }
}

function sliderValue(slider) {
  if (slider.dataset.log) {
    const lo = Math.log(+slider.dataset.min), hi = Math.log(+slider.dataset.max);
    return Math.exp(lo + (hi - lo) * (+slider.value / 1000));
  }
  return +slider.value;
}

// scheduleURL batches URL updates: replaceState is slow in some browsers
// and rate-limited in others, and the URL need not follow every keystroke.
let urlTimer = 0;
function scheduleURL() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(syncURL, 200);
}

// syncURL writes changed inputs into the query string (sheet.cell=text),
// so a reader can share a scenario.
function syncURL() {
  const params = new URLSearchParams(location.search);
  for (const s of sheets.values()) {
    for (const name of s.defaults.keys()) params.delete(`${s.id}.${name}`);
    for (const [name, text] of s.overrides) params.set(`${s.id}.${name}`, text);
    const share = s.root.querySelector('.calc-share');
    if (share) share.hidden = s.overrides.size === 0;
  }
  const q = params.toString();
  const url = location.pathname + (q ? '?' + q : '') + location.hash;
  history.replaceState(history.state, '', url);
  for (const s of sheets.values()) {
    const share = s.root.querySelector('.calc-share');
    if (share) share.href = url.split('#')[0] + '#calc-' + s.id;
  }
}

// step nudges a value for the arrow keys: 10% (or ×2 with Shift) for
// magnitudes, the author's step for linear ranges.
function step(s, name, value, dir, big) {
  const slider = s.root.querySelector(`input[type="range"][data-for="${name}"]`);
  if (slider && !slider.dataset.log && slider.dataset.step) {
    return value + dir * (+slider.dataset.step) * (big ? 10 : 1);
  }
  const f = big ? 2 : 1.1;
  if (value === 0) return dir > 0 ? 1 : -1;
  return dir > 0 ? value * f : value / f;
}

function onInput(s, name, text) {
  withEngine((api) => evaluate(api, s, name, text.trim()));
}

// withEngine runs fn now if the engine is loaded, or as soon as it is; the
// latest pending call wins.
let pending = [];
let api = null;
function withEngine(fn) {
  if (api) {
    fn(api);
    return;
  }
  pending.push(fn);
  engine().then((a) => {
    api = a;
    const queue = pending;
    pending = [];
    for (const p of queue) p(api);
  });
}

function wire(s) {
  const form = s.root.querySelector('.calc-inputs');
  form.addEventListener('submit', (e) => e.preventDefault());
  for (const field of form.querySelectorAll('input[type="text"][name]')) {
    const name = field.name;
    s.defaults.set(name, field.dataset.default);
    field.readOnly = false;
    field.addEventListener('input', () => onInput(s, name, field.value));
    field.addEventListener('keydown', (e) => arrowKeys(e, s, name, field));
  }
  for (const slider of form.querySelectorAll('input[type="range"][data-for]')) {
    const name = slider.dataset.for;
    slider.dataset.min = slider.min;
    slider.dataset.max = slider.max;
    if (slider.dataset.log) {
      slider.min = '0';
      slider.max = '1000';
      slider.step = '1';
    } else {
      slider.step = slider.dataset.step || 'any';
    }
    setSlider(slider, +slider.getAttribute('value'));
    slider.disabled = false;
    // Arrow keys move a log slider by a tenth (PageUp/PageDown double or
    // halve), not by a thousandth of its track.
    slider.addEventListener('keydown', (e) => {
      const field = fieldOf(s, name);
      if (!slider.dataset.log || !field) return;
      const dir = { ArrowUp: 1, ArrowRight: 1, PageUp: 1, ArrowDown: -1, ArrowLeft: -1, PageDown: -1 }[e.key];
      if (!dir) return;
      e.preventDefault();
      const big = e.key.startsWith('Page') || e.shiftKey;
      const lo = +slider.dataset.min, hi = +slider.dataset.max;
      const next = Math.min(hi, Math.max(lo, step(s, name, +field.dataset.value, dir, big)));
      withEngine((a) => {
        const text = a.format(s.source, name, next);
        field.value = text;
        evaluate(a, s, name, text);
        setSlider(slider, next);
      });
    });
    slider.addEventListener('input', () => {
      withEngine((a) => {
        const field = fieldOf(s, name);
        const v = sliderValue(slider);
        let text = a.format(s.source, name, v);
        // A range moves as a whole: its ends keep their ratio to the
        // middle on a log slider, their distance on a linear one.
        if (field && field.dataset.low !== undefined) {
          const mid = +field.dataset.value, lo = +field.dataset.low, hi = +field.dataset.high;
          const log = slider.dataset.log && mid > 0;
          const nlo = log ? v * (lo / mid) : v - (mid - lo);
          const nhi = log ? v * (hi / mid) : v + (hi - mid);
          text = a.format(s.source, name, nlo) + '..' + a.format(s.source, name, nhi);
        }
        if (field) field.value = text;
        evaluate(a, s, name, text);
      });
    });
  }
  s.charts = [...s.root.querySelectorAll('figure.calc-chart[data-chart-index]')];
  s.scen = s.root.querySelector('.calc-scenarios table[data-scenarios]');
  s.sens = document.querySelector(`details.calc-sens[data-sens="${s.id}"]`);
  if (s.sens) {
    const select = s.sens.querySelector('select');
    select.disabled = false;
    const redraw = () => withEngine((a) => {
      if (!s.values) evaluate(a, s, null, '');
      drawSensitivity(a, s);
    });
    select.addEventListener('change', redraw);
    s.sens.addEventListener('toggle', () => { if (s.sens.open) redraw(); });
  }
  const reset = s.root.querySelector('.calc-reset');
  if (reset) {
    reset.addEventListener('click', (e) => {
      e.preventDefault();
      for (const [name, text] of s.defaults) {
        const field = fieldOf(s, name);
        if (field) field.value = text;
        showError(s, name, '');
      }
      s.overrides = new Map();
      withEngine((a) => evaluate(a, s, null, ''));
    });
  }
}

function arrowKeys(e, s, name, field) {
  if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
  e.preventDefault();
  withEngine((a) => {
    const cur = +field.dataset.value;
    const next = step(s, name, cur, e.key === 'ArrowUp' ? 1 : -1, e.shiftKey);
    let text = a.format(s.source, name, next);
    if (field.dataset.low !== undefined && cur !== 0) {
      // A range steps as a whole, both ends by the same factor.
      const f = next / cur;
      text = a.format(s.source, name, +field.dataset.low * f) + '..' + a.format(s.source, name, +field.dataset.high * f);
    }
    field.value = text;
    const main = fieldOf(s, name);
    if (main && main !== field) main.value = text;
    evaluate(a, s, name, text);
  });
}

function wireInline(el) {
  const [id, name] = el.dataset.input.split('.');
  const s = sheets.get(id);
  if (!s) return;
  el.readOnly = false;
  el.addEventListener('input', () => {
    const main = fieldOf(s, name);
    if (main) main.value = el.value;
    onInput(s, name, el.value);
  });
  el.addEventListener('keydown', (e) => arrowKeys(e, s, name, el));
}

export function initCalculators() {
  const roots = document.querySelectorAll('[data-calc]');
  if (!roots.length) return;
  engineURL = document.body.dataset.wasm || '';
  execURL = document.body.dataset.wasmExec || '';
  if (!engineURL || !execURL || typeof WebAssembly !== 'object') return;
  for (const root of roots) {
    const s = { id: root.dataset.calc, root, source: root.dataset.source, overrides: new Map(), defaults: new Map(), errors: new Map() };
    sheets.set(s.id, s);
    index(s);
    wire(s);
    root.dataset.calcState = 'live';
  }
  for (const el of document.querySelectorAll('.calc-inline[data-input]')) wireInline(el);
  document.addEventListener('pointerover', explain);

  // A shared scenario in the URL: apply it as soon as the engine is up.
  const params = new URLSearchParams(location.search);
  const fromURL = [];
  for (const [key, text] of params) {
    const dot = key.indexOf('.');
    const s = sheets.get(key.slice(0, dot));
    const name = key.slice(dot + 1);
    if (s && s.defaults.has(name)) fromURL.push([s, name, text]);
  }
  if (fromURL.length) {
    withEngine((a) => {
      for (const [s, name, text] of fromURL) {
        const field = fieldOf(s, name);
        if (field) field.value = text;
        // A shared scenario that changed a folded assumption shows it.
        const more = field && field.closest('details.calc-more');
        if (more) more.open = true;
        for (const el of document.querySelectorAll(`.calc-inline[data-input="${s.id}.${name}"]`)) el.value = text;
        evaluate(a, s, name, text);
      }
    });
    return;
  }
  // Otherwise load on intent: a pointer over, a touch on, or focus in a
  // calculator or an inline input. At idle, only on a connection that says
  // it is fast and not saving data, load ahead so the first change is quick.
  const intent = () => {
    for (const [el, type] of listeners) el.removeEventListener(type, intent);
    engine().then((a) => { api = a; });
  };
  const listeners = [];
  for (const el of [...roots, ...document.querySelectorAll('.calc-inline[data-input]')]) {
    for (const type of ['pointerenter', 'pointerdown', 'focusin', 'keydown']) {
      el.addEventListener(type, intent, { passive: true });
      listeners.push([el, type]);
    }
  }
  const conn = navigator.connection;
  if (conn && !conn.saveData && conn.effectiveType === '4g' && 'requestIdleCallback' in window) {
    requestIdleCallback(intent, { timeout: 5000 });
  }
}
