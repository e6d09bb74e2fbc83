// QuantumFlow RunWidget: hand-written ESM for anywidget (no build step, no CDN imports).
// Draws the DAG with live task states, progress, elapsed/estimated time, a counts
// histogram and sweep/convergence series, all from the synced traits of RunWidget.

const SVG = "http://www.w3.org/2000/svg";
const ORDER = ["failed", "running", "retrying", "queued", "pending", "cancelled", "skipped", "cached", "succeeded"];
const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"];

function svg(tag, attrs, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function div(cls, parent, text) {
  const node = document.createElement("div");
  node.className = cls;
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function fmtTime(s) {
  if (s === undefined || s === null || s < 0) return "–";
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}

function dominant(states) {
  const total = Object.values(states || {}).reduce((a, b) => a + b, 0);
  for (const s of ORDER.slice(0, 4)) if (states && states[s]) return s;
  if (states && states.pending) return "pending";
  if (states && (states.succeeded || 0) + (states.cached || 0) === total) return "succeeded";
  for (const s of ORDER) if (states && states[s]) return s;
  return "pending";
}

function drawDag(host, graph, nodeStates) {
  host.replaceChildren();
  const nodes = (graph && graph.nodes) || [];
  if (!nodes.length) return;
  const W = 132, H = 30, GX = 40, GY = 10;
  const levels = Math.max(...nodes.map((n) => n.level)) + 1;
  const rows = Math.max(...nodes.map((n) => n.row)) + 1;
  const width = levels * (W + GX), height = rows * (H + GY);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "qf-dag-svg",
    width: Math.min(width, 900), preserveAspectRatio: "xMinYMin meet" }, host);
  const pos = {};
  for (const n of nodes) pos[n.id] = [n.level * (W + GX), n.row * (H + GY)];
  for (const [a, b] of graph.edges || []) {
    if (!pos[a] || !pos[b]) continue;
    const [x1, y1] = [pos[a][0] + W, pos[a][1] + H / 2];
    const [x2, y2] = [pos[b][0], pos[b][1] + H / 2];
    const mx = (x1 + x2) / 2;
    svg("path", { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: "qf-edge" }, root);
  }
  for (const n of nodes) {
    const st = nodeStates[n.id] || { pending: n.size };
    const g = svg("g", { transform: `translate(${pos[n.id][0]},${pos[n.id][1]})`,
      class: `qf-node qf-${dominant(st)} qf-kind-${n.kind}` }, root);
    svg("rect", { width: W, height: H, rx: 6 }, g);
    const done = (st.succeeded || 0) + (st.cached || 0) + (st.failed || 0) + (st.skipped || 0) + (st.cancelled || 0);
    if (n.size > 1) svg("rect", { class: "qf-fill", y: H - 4, height: 4, width: (W * done) / n.size }, g);
    const label = svg("text", { x: 8, y: H / 2 + 4 }, g);
    const name = n.id.length > 16 ? n.id.slice(0, 15) + "…" : n.id;
    label.textContent = n.size > 1 ? `${name} ${done}/${n.size}` : name;
    svg("title", {}, g).textContent = `${n.id} (${n.kind}: ${n.detail || ""})\n` +
      Object.entries(st).map(([k, v]) => `${k}: ${v}`).join(", ");
  }
}

function frame(host, title, w, h) {
  const box = div("qf-chart", host);
  div("qf-chart-title", box, title);
  return svg("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h }, box);
}

function drawHistogram(host, hist) {
  const counts = (hist && hist.counts) || {};
  const keys = Object.keys(counts);
  if (!keys.length) return;
  const W = 320, H = 170, B = 40;
  const root = frame(host, `counts · ${hist.task}`, W, H);
  const max = Math.max(...Object.values(counts));
  const bw = (W - 10) / keys.length;
  keys.forEach((k, i) => {
    const h = ((H - B) * counts[k]) / max;
    const bar = svg("rect", { x: 5 + i * bw + 1, y: H - B - h + 10, width: Math.max(1, bw - 2), height: h, class: "qf-bar" }, root);
    svg("title", {}, bar).textContent = `${k}: ${counts[k]}`;
    if (keys.length <= 16) {
      const cx = 5 + i * bw + bw / 2;
      const t = svg("text", { x: cx, y: H - B + 22, class: "qf-tick", "text-anchor": keys.length > 8 ? "start" : "middle",
        transform: keys.length > 8 ? `rotate(45 ${cx} ${H - B + 22})` : "" }, root);
      t.textContent = k;
    }
  });
}

function drawSeries(host, series) {
  if (!series || !series.length) return;
  const W = 360, H = 170, L = 46, B = 24;
  const all = series.flatMap((s) => s.points);
  if (!all.length) return;
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) { y0 -= 0.5; y1 += 0.5; }
  const sx = (x) => L + ((W - L - 8) * (x - x0)) / (x1 - x0);
  const sy = (y) => 8 + ((H - B - 8) * (y1 - y)) / (y1 - y0);
  const root = frame(host, series.length === 1 ? series[0].name : "series", W, H);
  svg("line", { x1: L, y1: H - B, x2: W - 8, y2: H - B, class: "qf-axis" }, root);
  svg("line", { x1: L, y1: 8, x2: L, y2: H - B, class: "qf-axis" }, root);
  for (const [v, y] of [[y1, 12], [y0, H - B]]) {
    svg("text", { x: L - 4, y, class: "qf-tick", "text-anchor": "end" }, root).textContent = v.toPrecision(4);
  }
  svg("text", { x: W - 8, y: H - 6, class: "qf-tick", "text-anchor": "end" }, root).textContent = series[0].x || "";
  series.forEach((s, i) => {
    const d = s.points.map((p, j) => `${j ? "L" : "M"}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join("");
    svg("path", { d, class: "qf-line", stroke: PALETTE[i % PALETTE.length] }, root);
    if (s.points.length <= 60) for (const p of s.points) svg("circle", { cx: sx(p[0]), cy: sy(p[1]), r: 2, fill: PALETTE[i % PALETTE.length] }, root);
    if (series.length > 1) svg("text", { x: L + 6, y: 18 + 12 * i, class: "qf-tick", fill: PALETTE[i % PALETTE.length] }, root).textContent = s.name;
  });
}

function render({ model, el }) {
  el.classList.add("qf-run");
  const head = div("qf-head", el);
  const title = div("qf-title", head);
  const badge = div("qf-badge", head);
  const times = div("qf-times", head);
  const bar = div("qf-progress", el);
  const fill = div("qf-progress-fill", bar);
  const chips = div("qf-chips", el);
  const err = div("qf-error", el);
  const dag = div("qf-dag", el);
  const charts = div("qf-charts", el);
  let elapsedAt = performance.now();

  const showTimes = () => {
    let elapsed = model.get("elapsed_s");
    if (model.get("status") === "running") elapsed += (performance.now() - elapsedAt) / 1000;
    const est = model.get("estimate_s");
    times.textContent = `elapsed ${fmtTime(elapsed)} · estimated ${fmtTime(est)}`;
  };
  const update = () => {
    const status = model.get("status");
    const counts = model.get("counts") || {};
    const total = model.get("total") || 0;
    const done = ["succeeded", "cached", "failed", "skipped", "cancelled"].reduce((a, k) => a + (counts[k] || 0), 0);
    title.textContent = `${model.get("name")}${model.get("run_id") ? " · " + model.get("run_id") : ""}`;
    badge.textContent = status;
    badge.className = `qf-badge qf-${status}`;
    fill.style.width = total ? `${(100 * done) / total}%` : "0";
    chips.textContent = `${done}/${total} done · ` + ORDER.filter((k) => counts[k]).map((k) => `${k} ${counts[k]}`).join(" · ");
    err.textContent = model.get("error") || "";
    drawDag(dag, model.get("graph"), model.get("node_states") || {});
    charts.replaceChildren();
    drawHistogram(charts, model.get("histogram"));
    drawSeries(charts, model.get("series"));
    showTimes();
  };
  model.on("change:elapsed_s", () => { elapsedAt = performance.now(); });
  for (const k of ["status", "error", "graph", "node_states", "counts", "total", "estimate_s", "histogram", "series", "run_id", "name"]) {
    model.on(`change:${k}`, update);
  }
  update();
  const tick = setInterval(showTimes, 500);
  return () => clearInterval(tick);
}

export default { render };
