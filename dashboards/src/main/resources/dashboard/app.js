"use strict";
// The SafePath dashboard: every view is built from the indicator catalogue (titles, units, thresholds, dimensions,
// what adds up) and the read-only JSON API of the dashboard server. Nothing here talks to Elasticsearch.

// The views, each domain's titled by the catalogue: the overview, a view per domain, the alerts.
let VIEWS = {};
// Why the view could not be drawn, while it cannot.
let viewError = null;
// Words a lead uses for each dimension and code.
const DIMENSION_NAMES = {
  local_authority: "Local authority", hospital_site: "Hospital site", pathway: "Pathway", delay_reason_family: "Delay reason",
  cqc_location_id: "Care home (CQC location)", type_of_risk: "Type of risk", location_of_risk: "Where the risk was",
  team: "Team", waiting_for: "Waiting for", priority: "Priority", package_type: "Package", urgency: "Urgency", area: "Area",
  provider_location_id: "Provider (CQC location)", host_local_authority: "Host local authority"
};
const CODES = {
  pathway: { ALL: "All pathways", P0: "P0 home, no new support", P1: "P1 home with new support", P2: "P2 bed-based rehab", P3: "P3 care home" }
};
const REFRESH_MS = 5000;

let catalogue = { indicators: [], roll_ups: {} };
const byId = {};
let charts = [];
let lastRead = null;
let rendering = false;
let renderAgain = false;
let ackMessage = "";

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null) continue;
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}
function dimName(d) { return DIMENSION_NAMES[d] || d.replaceAll("_", " "); }
// What codes are called (/api/names): care homes beside their CQC location ids (from the reference data), hospital sites
// beside their ODS codes and councils beside their ONS codes (safepath names);
// national code list values in words (NEGLECT_AND_ACTS_OF_OMISSION: "Neglect and acts of omission"); identifiers as they are.
let names = {};
const IDENTIFIERS = new Set(["local_authority", "host_local_authority", "hospital_site", "cqc_location_id", "provider_location_id", "team", "area"]);
function words(v) { return /^[A-Z][A-Z_]*[A-Z]$/.test(v) ? (v.charAt(0) + v.slice(1).toLowerCase()).replaceAll("_", " ") : v; }
function codeName(dim, v) {
  if (CODES[dim] && CODES[dim][v]) return CODES[dim][v];
  const kind = catalogue.named[dim];
  if (kind && names[kind] && names[kind][v]) return names[kind][v] + " (" + v + ")";
  return IDENTIFIERS.has(dim) ? v : words(v);
}
async function loadNames() { try { names = await api("/api/names", new URLSearchParams()); } catch (e) { /* codes alone; the status line says why */ } }
// The team and area filters apply to the views whose indicators have that dimension (waiting lists: team; brokerage: area).
const NARROWING = { team: "f-team", area: "f-area" };
function domainHas(domain, dim) { return catalogue.indicators.some(d => d.domain === domain && d.dimensions.includes(dim)); }
function filters(domain) {
  const p = new URLSearchParams();
  const la = document.getElementById("f-la").value;
  if (la) p.set("local_authority", la);
  for (const [dim, id] of Object.entries(NARROWING)) {
    const v = document.getElementById(id).value;
    if (v && domain && domainHas(domain, dim)) p.set(dim, v);
  }
  if (document.getElementById("f-board").checked) p.set("board", "1");
  return p;
}
async function api(path, params) {
  const r = await fetch(path + "?" + params.toString());
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || ("The dashboard server answered " + r.status));
  return body;
}
function ragLabel(rag) { return rag && rag !== "NONE" ? el("span", { class: "rag " + rag, text: rag.charAt(0) + rag.slice(1).toLowerCase() }) : null; }
function shownCell(row, cls) {
  if (!row) return el("td", { class: cls, title: "no value", text: "–" });
  const td = el("td", { class: [cls, row.rag !== "NONE" && row.rag !== "GREEN" ? row.rag : ""].join(" ").trim() }, row.shown);
  if (row.rag && row.rag !== "NONE" && row.rag !== "GREEN") td.append(" ", ragLabel(row.rag));
  return td;
}
function csvLink(path, params, label) {
  const p = new URLSearchParams(params); p.set("format", "csv");
  return el("a", { href: path + "?" + p.toString(), download: "" , text: label || "Download CSV" });
}

let pending = [];
// Charts are drawn once their view is on the page (a detached canvas has no size).
function chart(canvas, config) {
  config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
  pending.push([canvas, config]);
}
function drawCharts() {
  if (typeof Chart !== "undefined") for (const [canvas, config] of pending) charts.push(new Chart(canvas, config)); // else the tables still have every number
  pending = [];
}
function clearCharts() { charts.forEach(c => c.destroy()); charts = []; }

// ---- status at the top: Elasticsearch down, figures stale ----
async function refreshStatus() {
  const box = document.getElementById("status");
  try {
    const s = await api("/api/status", new URLSearchParams());
    // A view that could not be drawn stays said until it is drawn: the status and the view are asked side by side.
    box.replaceChildren(...s.problems.map(p => el("p", { class: "behind", text: p })), ...(viewError ? [el("p", { class: "down", text: viewError })] : []));
    const newest = s.domains.map(d => Date.parse(d.newest)).reduce((a, b) => Math.max(a, b), 0);
    lastRead = new Date();
    document.getElementById("fresh").textContent = "Read " + lastRead.toLocaleTimeString("en-GB") +
      (newest ? "; figures as of " + new Date(newest).toLocaleString("en-GB", { timeZone: "Europe/London" }) : "; no figures yet");
  } catch (e) {
    box.replaceChildren(el("p", { class: "down", text: e.message }));
    document.getElementById("fresh").textContent = lastRead ? "Last read " + lastRead.toLocaleTimeString("en-GB") + " (not updating)" : "";
  }
}

// ---- overview ----
async function overview(view) {
  const p = filters();
  const [o, alerts, dead] = await Promise.all([api("/api/overview", p), api("/api/alerts", new URLSearchParams({ open: "1", size: "10" })),
    api("/api/dead-letters", new URLSearchParams())]);
  const domains = [...new Set(o.tiles.map(t => t.domain))];
  const changes = el("ul");
  for (const domain of domains) {
    const tiles = el("div", { class: "tiles" });
    for (const t of o.tiles.filter(t => t.domain === domain)) {
      const rag = t.red ? "RED" : t.amber ? "AMBER" : (byId[t.indicator].red != null ? "GREEN" : "");
      const tile = el("div", { class: "tile " + rag },
        el("div", { class: "v", text: t.value == null && t.shown !== "[c]" ? "–" : t.shown }),
        el("div", { class: "t" }, el("a", { href: "#" + domain, text: t.title })));
      if (t.value == null && t.shown !== "[c]") tile.append(el("div", { class: "d", text: t.shown + " (see the " + VIEWS[domain] + " view)" }));
      if (t.red || t.amber) tile.append(el("div", { class: "s", text: [t.red ? t.red + " red" : "", t.amber ? t.amber + " amber" : ""].filter(Boolean).join(", ") }));
      else if (rag === "GREEN") tile.append(el("div", { class: "s", text: "All green" }));
      if (t.day_before_shown != null && t.value != null) {
        const diff = t.value - t.day_before;
        tile.append(el("div", { class: "d", text: "24 hours ago: " + t.day_before_shown }));
        if (Math.abs(diff) > 1e-9) changes.append(el("li", { text: t.title + ": " + t.day_before_shown + " → " + t.shown }));
      }
      tiles.append(tile);
    }
    view.append(el("h3", { text: VIEWS[domain] || domain }), tiles);
  }
  view.append(el("h3", { text: "What changed in the last 24 hours" }),
    changes.children.length ? changes : el("p", { class: "muted", text: "No indicator total changed in the last 24 hours (or there is no history yet)." }));
  view.append(el("h3", { text: "Open alerts" }), alertTable(alerts.rows, false),
    el("p", { class: "links" }, el("a", { href: "#alerts", text: "All alerts" })));
  view.append(el("p", { class: "links" }, csvLink("/api/current", p, "Download every current value (CSV)")));
  deadLetters(view, dead);
}

// ---- a domain: charts and tables from the catalogue ----
async function domainView(view, domain) {
  const p = filters(domain); p.set("domain", domain);
  const defs = catalogue.indicators.filter(d => d.domain === domain);
  const groups = {};
  for (const d of defs) (groups[d.dimensions.join(",")] ??= []).push(d);
  const provider = domain === "provider" && location.hash.split("/")[1];
  if (provider) return providerPage(view, decodeURIComponent(provider));
  const headline = domain === "provider" ? byId["provider.open_concerns"] : defs.find(d => d.additive) || defs[0];
  // The trend's panel comes first on the page; its history is asked for alongside the current values.
  const [data] = await Promise.all([api("/api/current", p), trend(view, headline)]);
  if (domain === "provider") return providerView(view, data.rows, p);
  for (const [dimKey, ids] of Object.entries(groups)) {
    const dims = dimKey.split(",").filter(d => d !== "local_authority" || !p.get("local_authority"));
    const rows = data.rows.filter(r => ids.some(d => d.id === r.indicator));
    view.append(pivot(dims, ids, rows, p, domain));
  }
}

function rowKey(dims, r) { return dims.map(d => r.dimensions[d] ?? "").join("\u001f"); }

function pivot(dims, defs, rows, params, domain) {
  const panel = el("section", { class: "panel" });
  const title = dims.length ? "By " + dims.map(dimName).join(", ").toLowerCase() : "Council";
  panel.append(el("h3", { text: title }));
  const table = {};
  for (const r of rows) (table[rowKey(dims, r)] ??= {})[r.indicator] = r;
  const keys = Object.keys(table).sort();
  // The chart: the first indicator of the group that adds up, by the first dimension's rows (top 15).
  const chartDef = defs.find(d => d.additive) || defs[0];
  // Where the domain has roll-up rows (a site's all-pathways row), the chart shows those, so nothing is counted twice.
  const rollUps = Object.entries(catalogue.roll_ups[domain] || {}).filter(([d]) => dims.includes(d));
  const charted = keys.filter(k => rollUps.every(([d, v]) => k.split("\u001f")[dims.indexOf(d)] === v));
  if (charted.length > 1 && chartDef) {
    const top = charted.filter(k => table[k][chartDef.id]).sort((a, b) => (table[b][chartDef.id].value ?? 0) - (table[a][chartDef.id].value ?? 0)).slice(0, 15);
    const canvas = el("canvas", { role: "img", "aria-label": chartDef.title + " " + title.toLowerCase() + "; the numbers are in the table below" });
    panel.append(el("div", { class: "chart" }, canvas));
    chart(canvas, { type: "bar", data: { labels: top.map(k => k.split("\u001f").map((v, i) => codeName(dims[i], v)).join(" / ")),
      datasets: [{ label: chartDef.title + " (" + chartDef.unit + ")", data: top.map(k => table[k][chartDef.id].value), backgroundColor: "#2b6cb0" }] },
      options: { indexAxis: "y", plugins: { legend: { display: true } } } });
  }
  const t = el("table");
  t.append(el("caption", { text: title + ": " + keys.length + " rows" }));
  const head = el("tr");
  dims.forEach(d => head.append(el("th", { scope: "col", class: "text", text: dimName(d) })));
  defs.forEach(d => head.append(el("th", { scope: "col", title: d.description, text: d.title + (d.unit === "people" ? "" : " (" + d.unit + ")") })));
  t.append(el("thead", null, head));
  const body = el("tbody");
  for (const k of keys) {
    const tr = el("tr");
    k.split("\u001f").forEach((v, i) => tr.append(el("td", { class: "text", text: codeName(dims[i], v) })));
    defs.forEach(d => tr.append(shownCell(table[k][d.id])));
    body.append(tr);
  }
  if (!keys.length) body.append(el("tr", null, el("td", { colspan: String(dims.length + defs.length), class: "muted text", text: "No values yet." })));
  t.append(body);
  panel.append(t);
  const cp = new URLSearchParams(params); cp.set("indicators", defs.map(d => d.id).join(","));
  panel.append(el("p", { class: "links" }, csvLink("/api/current", cp)));
  return panel;
}

// An indicator's trend from the history, narrowed by the page's filters and any of the view's own (one provider).
async function trend(view, def, narrower) {
  const p = filters(def.domain); p.set("indicator", def.id);
  for (const [k, v] of Object.entries(narrower || {})) p.set(k, v);
  const days = Number(document.getElementById("f-range").value);
  const to = new Date(Math.ceil(Date.now() / 3600000) * 3600000);
  p.set("from", new Date(to - days * 86400000).toISOString()); p.set("to", to.toISOString());
  p.set("interval", days > 30 ? "1d" : days > 7 ? "6h" : "1h");
  const panel = el("section", { class: "panel" }, el("h3", { text: def.title + ": trend over " + days + " days" }));
  view.append(panel);
  let h;
  try { h = await api("/api/history", p); } catch (e) { panel.append(el("p", { class: "error", text: e.message })); return; }
  const series = [...new Set(h.rows.map(r => r.series))];
  if (!h.rows.length) { panel.append(el("p", { class: "muted", text: "No history yet for this period." })); return; }
  const canvas = el("canvas", { role: "img", "aria-label": def.title + " over time; the numbers are in the table below the chart" });
  panel.append(el("div", { class: "chart" }, canvas));
  const labels = [...new Set(h.rows.map(r => r.at))].sort();
  chart(canvas, { type: "line", data: { labels: labels.map(l => new Date(l).toLocaleString("en-GB", { timeZone: "Europe/London", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" })),
    datasets: series.map((s, i) => ({ label: s === "total" ? def.title : s, borderColor: ["#2b6cb0", "#b36b00", "#2e7d32", "#6b46c1"][i % 4],
      data: labels.map(l => { const r = h.rows.find(x => x.series === s && x.at === l); return r ? r.value : null; }), spanGaps: false })) } });
  const t = el("table");
  t.append(el("thead", null, el("tr", null, el("th", { scope: "col", class: "text", text: "From" }), ...series.map(s => el("th", { scope: "col", text: s === "total" ? def.title : s })))));
  const body = el("tbody");
  for (const l of labels) body.append(el("tr", null, el("td", { class: "text", text: new Date(l).toLocaleString("en-GB", { timeZone: "Europe/London" }) }),
    ...series.map(s => { const r = h.rows.find(x => x.series === s && x.at === l); return el("td", { text: r ? r.shown : "–" }); })));
  t.append(body);
  panel.append(el("details", null, el("summary", { text: "The chart's numbers as a table" }), t));
  panel.append(el("p", { class: "links" }, csvLink("/api/history", p)));
}

// ---- market oversight: every provider by risk, one provider's whole picture ----
function providerView(view, rows, params) {
  const providers = {};
  for (const r of rows) (providers[r.dimensions.provider_location_id] ??= {})[r.indicator] = r;
  const components = [...new Set(rows.filter(r => r.indicator === "provider.risk_score" && r.components).flatMap(r => Object.keys(r.components)))].sort();
  const cols = ["provider.risk_score", "provider.open_concerns", "provider.suspended", "provider.safeguarding_per_10_beds_90d"];
  const panel = el("section", { class: "panel" }, el("h3", { text: "Every provider, highest risk first" }));
  const t = el("table");
  t.append(el("caption", { text: Object.keys(providers).length + " providers; select one for its whole picture" }));
  t.append(el("thead", null, el("tr", null, el("th", { scope: "col", class: "text", text: "Provider (CQC location)" }),
    ...cols.map(c => el("th", { scope: "col", text: byId[c].title })), ...components.map(c => el("th", { scope: "col", text: "Score from " + c.replaceAll("_", " ") })))));
  const body = el("tbody");
  const sorted = Object.keys(providers).sort((a, b) => ((providers[b]["provider.risk_score"] || {}).value ?? -1) - ((providers[a]["provider.risk_score"] || {}).value ?? -1));
  for (const p of sorted) {
    const score = providers[p]["provider.risk_score"];
    body.append(el("tr", null, el("td", { class: "text" }, el("a", { href: "#provider/" + encodeURIComponent(p), text: codeName("provider_location_id", p) })),
      ...cols.map(c => shownCell(providers[p][c])),
      ...components.map(c => el("td", { text: score && score.components && score.components[c] != null ? String(Math.round(score.components[c] * 10) / 10) : "–" }))));
  }
  t.append(body);
  panel.append(t);
  const cp = new URLSearchParams(params); cp.set("indicators", cols.join(","));
  panel.append(el("p", { class: "links" }, csvLink("/api/current", cp)));
  view.append(panel);
}

async function providerPage(view, id) {
  document.getElementById("view-title").textContent = "Provider " + codeName("provider_location_id", id);
  const p = filters();
  const pp = new URLSearchParams(p); pp.set("domain", "provider"); pp.set("provider_location_id", id);
  const sp = new URLSearchParams(p); sp.set("domain", "safeguarding"); sp.set("cqc_location_id", id);
  const [prov, safe, alerts] = await Promise.all([api("/api/current", pp), api("/api/current", sp), api("/api/alerts", new URLSearchParams({ size: "500" }))]);
  view.append(el("p", null, el("a", { href: "#provider", text: "← Every provider" })));
  const tiles = el("div", { class: "tiles" });
  for (const r of prov.rows) tiles.append(el("div", { class: "tile " + (r.rag || "") }, el("div", { class: "v", text: r.shown }), el("div", { class: "t", text: r.title }),
    ragLabel(r.rag)));
  view.append(el("h3", { text: "Indicators" }), prov.rows.length ? tiles : el("p", { class: "muted", text: "No provider indicators for this location." }));
  const score = prov.rows.find(r => r.indicator === "provider.risk_score");
  if (score && score.components) view.append(el("p", { text: "Risk score " + score.shown + " = " + Object.entries(score.components).map(([k, v]) => k.replaceAll("_", " ") + " " + v).join(" + ") }));
  view.append(pivot(["type_of_risk", "location_of_risk"], [byId["safeguarding.concerns_90d"]], safe.rows.filter(r => r.indicator === "safeguarding.concerns_90d"), sp, "safeguarding"));
  view.append(el("h3", { text: "Alerts about this provider" }), alertTable(alerts.rows.filter(a => a.subject_id === id), false));
  const hp = byId["provider.risk_score"];
  await trend(view, hp, { provider_location_id: id });
}

// ---- alerts: live feed, acknowledgement, acknowledge from the page ----
function alertTable(rows, withAck) {
  const t = el("table");
  t.append(el("thead", null, el("tr", null, ...["Raised", "Severity", "What", "Subject", "For", "Delivered", "Acknowledged"].map(h => el("th", { scope: "col", class: "text", text: h })))));
  const body = el("tbody");
  for (const a of rows) {
    const ack = a.acknowledged_by ? el("td", { class: "text", text: a.acknowledged_by + ", " + new Date(a.acknowledged_at).toLocaleString("en-GB", { timeZone: "Europe/London" }) })
      : el("td", { class: "text" }, "Open", withAck ? " " : null, withAck ? ackButton(a.alert_id) : null);
    body.append(el("tr", { "data-alert": a.alert_id }, el("td", { class: "text", text: new Date(a.raised_at).toLocaleString("en-GB", { timeZone: "Europe/London" }) }),
      el("td", { class: "text", text: a.severity }), el("td", { class: "text", text: (byId[a.rule] || {}).title || a.rule.replaceAll("_", " ") }),
      el("td", { class: "text", text: (a.subject_name ? a.subject_name + " " : "") + "(" + a.subject_kind + " " + a.subject_id + ")" }),
      el("td", { class: "text", text: a.audience.replaceAll("_", " ") + (a.recipient ? ": " + a.recipient : "") }),
      el("td", { class: "text" + (a.delivery_overdue ? " RED" : ""), text: (a.delivery_overdue ? "OVERDUE: " : "") + (a.deliveries.length ? a.deliveries.join("; ") : "not yet") }),
      ack));
  }
  if (!rows.length) body.append(el("tr", null, el("td", { colspan: "7", class: "text muted", text: "None." })));
  t.append(body);
  return t;
}

function ackButton(id) {
  const b = el("button", { type: "button", class: "act", text: "Acknowledge", "aria-label": "Acknowledge alert " + id });
  b.addEventListener("click", async () => {
    const who = document.getElementById("ack-by").value.trim();
    const msg = document.getElementById("ack-msg");
    if (!who) { msg.textContent = "Type your name or role above first."; document.getElementById("ack-by").focus(); return; }
    const r = await fetch("/ack/" + encodeURIComponent(id), { method: "POST", headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ by: who }).toString() });
    const body = await r.json();
    ackMessage = r.ok ? "Alert " + id + " acknowledged by " + body.acknowledged_by + "." : body.error;
    msg.textContent = ackMessage;
    render();
  });
  return b;
}

async function alertsView(view) {
  const open = new URLSearchParams(location.hash.includes("all") ? { size: "500" } : { open: "1", size: "500" });
  const a = await api("/api/alerts", open);
  const by = el("input", { id: "ack-by", autocomplete: "name", value: sessionStorage.getItem("ack-by") || "" });
  by.addEventListener("change", e => sessionStorage.setItem("ack-by", e.target.value));
  view.append(el("p", null, el("label", { for: "ack-by", text: "Your name or role (to acknowledge) " }), by, " ", el("span", { id: "ack-msg", role: "status", text: ackMessage })));
  view.append(el("p", { class: "links" }, el("a", { href: location.hash.includes("all") ? "#alerts" : "#alerts/all", text: location.hash.includes("all") ? "Open alerts only" : "Show acknowledged alerts too" }),
    csvLink("/api/alerts", open)));
  view.append(el("section", { class: "panel" }, el("h3", { text: (open.get("open") ? "Open alerts" : "All alerts") + ", newest first: " + a.rows.length }), alertTable(a.rows, true)));
}

function deadLetters(view, d) {
  const panel = el("section", { class: "panel" }, el("h3", { text: "Records not applied (dead letters)" }));
  if (!d.total) panel.append(el("p", { text: "None: every record read so far was applied." }));
  else {
    const t = el("table", null, el("thead", null, el("tr", null, el("th", { scope: "col", class: "text", text: "Stream" }), el("th", { scope: "col", class: "text", text: "Reason" }), el("th", { scope: "col", text: "Records" }))));
    const body = el("tbody");
    for (const [stream, reasons] of Object.entries(d.streams)) for (const [reason, n] of Object.entries(reasons)) body.append(el("tr", null, el("td", { text: stream }), el("td", { class: "text", text: reason }), el("td", { text: String(n) })));
    t.append(body); panel.append(t);
  }
  view.append(panel);
}

// ---- routing and refresh ----
async function render() {
  // A change while a view is being drawn is drawn next, never dropped.
  if (rendering) { renderAgain = true; return; }
  rendering = true;
  const name = (location.hash.slice(1).split("/")[0]) || "overview";
  const viewName = VIEWS[name] ? name : "overview";
  const narrowed = Object.entries(NARROWING).filter(([dim, id]) => {
    const shown = domainHas(viewName, dim);
    document.querySelectorAll("[data-dimension='" + dim + "']").forEach(e => e.hidden = !shown);
    return shown && document.getElementById(id).value;
  }).map(([dim, id]) => "|" + dim + "=" + document.getElementById(id).value).join("");
  const state = [location.hash, document.getElementById("f-la").value, document.getElementById("f-range").value,
    document.getElementById("f-board").checked ? "board" : ""].join("|") + narrowed;
  document.querySelectorAll("#nav a").forEach(a => a.getAttribute("href") === "#" + viewName ? a.setAttribute("aria-current", "page") : a.removeAttribute("aria-current"));
  document.getElementById("board-note").hidden = !document.getElementById("f-board").checked;
  const fresh = el("div");
  pending = [];
  try {
    if (viewName === "overview") await overview(fresh);
    else if (viewName === "alerts") await alertsView(fresh);
    else await domainView(fresh, viewName);
    const keepFocus = document.activeElement && document.activeElement.id;
    clearCharts();
    document.getElementById("view").replaceWith(Object.assign(fresh, { id: "view" }));
    drawCharts();
    if (!location.hash.includes("/")) document.getElementById("view-title").textContent = VIEWS[viewName];
    if (keepFocus && document.getElementById(keepFocus)) document.getElementById(keepFocus).focus();
    document.body.dataset.loaded = viewName;
    document.body.dataset.state = state; // what was drawn: the view and its filters
    viewError = null;
  } catch (e) {
    viewError = e.message;
    document.getElementById("status").replaceChildren(el("p", { class: "down", text: e.message }));
  } finally {
    rendering = false;
  }
  if (renderAgain) { renderAgain = false; await render(); }
}

async function start() {
  catalogue = await (await fetch("/api/catalogue")).json();
  catalogue.indicators.forEach(d => byId[d.id] = d);
  VIEWS = { overview: "Overview", ...catalogue.domains, alerts: "Alerts" };
  document.getElementById("nav").replaceChildren(...Object.entries(VIEWS).map(([id, title]) => el("li", null, el("a", { href: "#" + id, text: title }))));
  try {
    const las = (await api("/api/values", new URLSearchParams({ dimension: "local_authority" }))).values;
    document.getElementById("f-la").append(...las.map(la => el("option", { value: la, text: la })));
  } catch (e) { /* the status line says why */ }
  for (const [dim, id] of Object.entries(NARROWING)) {
    try {
      const values = (await api("/api/values", new URLSearchParams({ dimension: dim }))).values;
      document.getElementById(id).append(...values.map(v => el("option", { value: v, text: v })));
    } catch (e) { /* the status line says why */ }
  }
  for (const id of ["f-la", "f-range", "f-board", ...Object.values(NARROWING)]) document.getElementById(id).addEventListener("change", render);
  window.addEventListener("hashchange", () => { render(); document.getElementById("main").focus(); });
  await loadNames();
  setInterval(loadNames, 60000);
  // The status line and the view are asked for side by side.
  await Promise.all([refreshStatus(), render()]);
  setInterval(() => Promise.all([refreshStatus(), !document.activeElement || document.activeElement.id !== "ack-by" ? render() : null]), REFRESH_MS);
}
start();
