// The page of sizebudget's HTML reports: draws the data in #sb-data (written by
// src/report/html_report.cpp) as region bars, a zoomable treemap and sortable tables.
// Every name comes from a linker map and may be hostile: it is only ever set as text.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("sb-data").textContent);
  const KIND = { R: "image", r: "region", s: "section", a: "archive", o: "object", y: "symbol",
                 f: "fill", v: "reserved", m: "folded" };
  const MAX_DEPTH = 3;  // levels drawn below the zoomed node: keeps a huge link's page quick

  // --- helpers -------------------------------------------------------------------------------
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function bytes(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",") + " B"; }
  function human(n) {
    const units = ["B", "KiB", "MiB", "GiB"];
    let v = Math.abs(n), u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    const s = (u === 0 ? String(v) : v.toFixed(1).replace(/\.0$/, "")) + " " + units[u];
    return n < 0 ? "-" + s : s;
  }
  function signed(n) { return (n > 0 ? "+" : n < 0 ? "−" : "") + bytes(Math.abs(n)).replace(" B", "") + " B"; }
  function pct(part, whole) { return whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "–"; }
  // A pale colour per name, the same on every page.
  function hue(name) {
    let h = 2166136261;
    for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 16777619); }
    // FNV's low bits barely depend on the last characters ("libc.a", "libm.a"): mix them in.
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
    return (h >>> 0) % 360;
  }

  document.title = data.title + " — sizebudget " + data.page;

  // --- header --------------------------------------------------------------------------------
  const header = el("header");
  const h1 = el("h1", null, data.title);
  const badge = data.page === "check" ? el("span", "badge " + (data.failed ? "fail" : "pass"),
                                            data.failed ? "over budget" : "within budget") : null;
  if (badge) h1.appendChild(badge);
  header.appendChild(h1);
  header.appendChild(el("p", "subtitle", data.subtitle));
  document.body.appendChild(header);

  // --- region bars ---------------------------------------------------------------------------
  const regions = el("section", "regions");
  regions.id = "regions";
  for (const r of data.regions) {
    if (r.more) {
      regions.appendChild(el("p", "more", "… and " + r.more + " more regions, in the Regions table"));
      continue;
    }
    if (!r.length && !r.used && !r.delta) continue;
    const row = el("div", "region");
    row.dataset.region = r.name;
    row.appendChild(el("div", "region-name", r.name));
    const bar = el("div", "bar");
    const scale = Math.max(r.length || 0, r.used || 0, r.budget || 0, r.old_used || 0) || 1;
    const content = Math.max(0, r.used - (r.reserved || 0));
    const used = el("div", "bar-used" + (r.status ? " status-" + r.status : ""));
    used.style.width = (100 * content / scale) + "%";
    bar.appendChild(used);
    if (r.reserved) {
      const res = el("div", "bar-reserved");
      res.style.width = (100 * r.reserved / scale) + "%";
      res.title = "reserved address space, not content";
      bar.appendChild(res);
    }
    if (r.budget !== undefined) {
      const mark = el("div", "bar-budget");
      mark.style.left = Math.min(100, 100 * r.budget / scale) + "%";
      mark.title = "budget " + bytes(r.budget);
      bar.appendChild(mark);
    }
    if (r.old_used !== undefined) {
      const mark = el("div", "bar-old");
      mark.style.left = Math.min(100, 100 * r.old_used / scale) + "%";
      mark.title = "before: " + bytes(r.old_used);
      bar.appendChild(mark);
    }
    row.appendChild(bar);
    let text = bytes(r.used) + (r.length ? " of " + bytes(r.length) + " (" + pct(r.used, r.length) + ")" : "");
    if (r.reserved) text += " · " + bytes(r.reserved) + " reserved";
    if (r.budget !== undefined) text += " · budget " + bytes(r.budget);
    if (r.delta !== undefined) text += " · " + signed(r.delta);
    const figure = el("div", "region-figure" + (r.delta > 0 ? " grown" : r.delta < 0 ? " shrunk" : ""), text);
    row.appendChild(figure);
    regions.appendChild(row);
  }
  document.body.appendChild(regions);

  // --- verdicts (check) ----------------------------------------------------------------------
  const byStatus = { exceeded: 0, forbidden: 0, warning: 1, unmatched: 2, ok: 3 };
  if (data.verdicts) {
    const box = el("section", "verdicts");
    box.id = "verdicts";
    box.appendChild(el("h2", null, "Budgets"));
    const sorted = data.verdicts.slice().sort((a, b) =>
      (a.severity === "error" ? 0 : 1) - (b.severity === "error" ? 0 : 1) ||
      byStatus[a.status] - byStatus[b.status] || b.used - a.used);
    for (const v of sorted) {
      const row = el("div", "verdict status-" + v.status + (v.severity === "error" ? " failing" : ""));
      row.dataset.status = v.status;
      row.dataset.item = v.item;
      const head = el("div", "verdict-head");
      head.appendChild(el("span", "pill status-" + v.status, v.status));
      head.appendChild(el("span", "verdict-message", v.message));
      head.appendChild(el("span", "where", v.where));
      row.appendChild(head);
      if (v.limit > 0 || v.rule === "max") {
        const bar = el("div", "bar small");
        const scale = Math.max(v.used, v.limit) || 1;
        const used = el("div", "bar-used status-" + v.status);
        used.style.width = (100 * v.used / scale) + "%";
        bar.appendChild(used);
        const mark = el("div", "bar-budget");
        mark.style.left = (100 * v.limit / scale) + "%";
        bar.appendChild(mark);
        row.appendChild(bar);
      }
      if (v.contributors.length) {
        row.appendChild(el("div", "contrib-head", v.contributors_heading));
        const list = el("ol", "contributors");
        for (const [name, n] of v.contributors) {
          const li = el("li");
          li.appendChild(el("span", "contrib-name", name));
          li.appendChild(el("span", "num", bytes(n)));
          list.appendChild(li);
        }
        row.appendChild(list);
      }
      if (v.why && v.why.length) {
        row.appendChild(el("div", "contrib-head", "linked because:"));
        const chain = el("ol", "why");
        for (const step of v.why) chain.appendChild(el("li", null, step));
        row.appendChild(chain);
      }
      row.addEventListener("click", () => reveal(v.kind, v.item));
      box.appendChild(row);
    }
    document.body.appendChild(box);
  }

  // --- treemap -------------------------------------------------------------------------------
  const main = el("div", "main");
  const mapPane = el("section", "map-pane");
  const toolbar = el("div", "toolbar");
  const crumbs = el("nav", "crumbs");
  crumbs.id = "crumbs";
  const search = el("input");
  search.id = "search";
  search.type = "search";
  search.placeholder = "Search symbols, objects, archives…";
  search.setAttribute("aria-label", "search");
  const hits = el("span", "hits");
  hits.id = "hits";
  toolbar.appendChild(crumbs);
  toolbar.appendChild(search);
  toolbar.appendChild(hits);
  mapPane.appendChild(toolbar);
  mapPane.appendChild(legend());
  const box = el("div", "treemap");
  box.id = "treemap";
  mapPane.appendChild(box);
  main.appendChild(mapPane);
  const tablesPane = el("section", "tables-pane");
  main.appendChild(tablesPane);
  document.body.appendChild(main);
  const tip = el("div", "tooltip");
  tip.id = "tooltip";
  document.body.appendChild(tip);

  function legend() {
    const l = el("div", "legend");
    const items = data.page === "check"
      ? [["status-ok", "within budget"], ["status-warning", "warning"], ["status-exceeded", "over budget"],
         ["status-forbidden", "forbidden"]]
      : data.page === "diff"
      ? [["change-grown", "grown"], ["change-shrunk", "shrunk"], ["change-added", "added"], ["plain", "unchanged"]]
      : [];
    for (const [cls, text] of items.concat([["kind-v", "reserved"], ["kind-f", "fill / linker"]])) {
      const i = el("span", "key");
      i.appendChild(el("span", "swatch " + cls));
      i.appendChild(document.createTextNode(text));
      l.appendChild(i);
    }
    return l;
  }

  const children = d => (Array.isArray(d[4]) && d[4].length ? d[4] : null);
  const root = d3.hierarchy(data.tree, children)
    .sum(d => (children(d) ? 0 : d[1]))
    .sort((a, b) => b.value - a.value);
  const nodeOf = new Map();  // a node's data -> its node in the whole tree
  root.each(n => nodeOf.set(n.data, n));
  let current = root;
  let hitSet = new Set(), hitPath = new Set();

  function nameOf(n) { return n.data[0]; }
  function regionOf(n) {
    for (let a = n; a; a = a.parent) if (a.data[2] === "r") return a;
    return null;
  }
  function classFor(n) {
    const d = n.data, kind = d[2];
    let cls = "node kind-" + kind;
    if (d[5]) cls += (data.page === "check" ? " status-" : " change-") + d[5];
    if (hitSet.has(d)) cls += " hit";
    else if (hitPath.has(d)) cls += " on-path";
    return cls;
  }
  function colour(n) {
    const d = n.data, kind = d[2];
    if (d[5] || kind === "v" || kind === "f" || kind === "m") return null;  // the class decides
    if (data.page !== "report") return null;
    let a = n;
    while (a.parent && a.parent.data[2] !== "s" && a.parent.data[2] !== "r" && a.parent.data[2] !== "R") a = a.parent;
    const light = kind === "y" ? 88 : kind === "o" ? 82 : kind === "a" ? 75 : kind === "s" ? 90 : 95;
    return "hsl(" + hue(nameOf(a)) + ",55%," + light + "%)";
  }

  function render() {
    box.textContent = "";
    const W = box.clientWidth, H = box.clientHeight;
    if (W < 10 || H < 10) return;
    const sub = current.copy();
    d3.treemap()
      .tile(d3.treemapSquarify)
      .size([W, H])
      .paddingInner(1)
      .paddingOuter(2)
      .paddingTop(n => (n.depth < MAX_DEPTH && n.children && (n.y1 - n.y0) > 40 ? 17 : 2))
      .round(true)(sub);
    const frag = document.createDocumentFragment();
    sub.each(n => {
      if (n.depth === 0 || n.depth > MAX_DEPTH) return;
      const w = n.x1 - n.x0, h = n.y1 - n.y0;
      if (w < 2 || h < 2) return;
      const d = n.data, whole = nodeOf.get(d);
      const div = el("div", classFor(whole));
      div.style.left = n.x0 + "px";
      div.style.top = n.y0 + "px";
      div.style.width = w + "px";
      div.style.height = h + "px";
      const c = colour(whole);
      if (c) div.style.background = c;
      div.dataset.name = d[0];
      div.dataset.bytes = String(d[1]);
      div.dataset.kind = KIND[d[2]] || d[2];
      if (d[5]) div.dataset.mark = d[5];
      if (w > 36 && h > 13) {
        const label = el("span", "label", d[0] + " " + human(d[1]));
        div.appendChild(label);
      }
      div.dataset.depth = String(n.depth);
      // One level at a time: a click anywhere inside a child of the zoomed node opens that child.
      div.addEventListener("click", e => {
        e.stopPropagation();
        let step = whole;
        while (step.parent && step.parent !== current) step = step.parent;
        if (step.children) zoomTo(step);
      });
      div.addEventListener("mousemove", e => showTip(e, whole));
      div.addEventListener("mouseleave", () => { tip.style.display = "none"; });
      frag.appendChild(div);
    });
    box.appendChild(frag);
    drawCrumbs();
  }

  function zoomTo(n) {
    if (!n || n === current) return;
    current = n;
    render();
  }

  function drawCrumbs() {
    crumbs.textContent = "";
    const path = current.ancestors().reverse();
    path.forEach((n, i) => {
      if (i) crumbs.appendChild(el("span", "sep", "›"));
      const b = el("button", "crumb" + (n === current ? " here" : ""), nameOf(n) + " (" + human(n.value) + ")");
      b.addEventListener("click", () => zoomTo(n));
      crumbs.appendChild(b);
    });
  }

  function showTip(e, n) {
    const d = n.data;
    tip.textContent = "";
    tip.appendChild(el("div", "tip-name", d[0]));
    if (d[3]) tip.appendChild(el("div", "tip-detail", d[3]));
    tip.appendChild(el("div", "tip-kind", KIND[d[2]] || d[2]));
    tip.appendChild(el("div", "tip-bytes", bytes(d[1]) + " (" + human(d[1]) + ")"));
    const region = regionOf(n);
    if (current !== root && current !== n)
      tip.appendChild(el("div", null, pct(d[1], current.value) + " of " + nameOf(current)));
    if (region && region !== n) tip.appendChild(el("div", null, pct(d[1], region.value) + " of " + nameOf(region)));
    if (d[5]) tip.appendChild(el("div", "tip-mark", d[5] + (d[6] ? " " + signed(d[6]) : "")));
    tip.style.display = "block";
    const x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    const y = Math.min(e.clientY + 14, window.innerHeight - tip.offsetHeight - 8);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  // Zooms to the parent of the first node a verdict names, so that it shows among its siblings.
  function reveal(kind, item) {
    const letter = { region: "r", section: "s", archive: "a", object: "o", symbol: "y" }[kind];
    if (!letter) return;
    let found = null;
    root.each(n => { if (!found && n.data[2] === letter && n.data[5] && n.data[0] === item) found = n; });
    if (!found) root.each(n => { if (!found && n.data[2] === letter && n.data[5]) found = n; });
    if (found) zoomTo(found.parent || root);
  }

  search.addEventListener("input", () => {
    const q = search.value.trim().toLowerCase();
    hitSet = new Set();
    hitPath = new Set();
    if (q.length >= 2) {
      root.each(n => {
        if (n.data[0].toLowerCase().includes(q) || (n.data[3] && n.data[3].toLowerCase().includes(q))) {
          hitSet.add(n.data);
          for (let a = n.parent; a; a = a.parent) hitPath.add(a.data);
        }
      });
    }
    hits.textContent = q.length < 2 ? "" : hitSet.size === 1 ? "1 match" : hitSet.size + " matches";
    render();
  });
  document.addEventListener("keydown", e => {
    if (e.key === "Escape" && current.parent && document.activeElement !== search) zoomTo(current.parent);
  });
  window.addEventListener("resize", render);

  // --- tables --------------------------------------------------------------------------------
  const tabs = el("div", "tabs");
  const tableBox = el("div", "table-box");
  tablesPane.appendChild(tabs);
  tablesPane.appendChild(tableBox);
  function showTable(t, button) {
    for (const b of tabs.children) b.classList.toggle("active", b === button);
    tableBox.textContent = "";
    const table = el("table", "rows");
    table.dataset.title = t.title;
    const thead = el("thead"), tr = el("tr");
    let sortCol = -1, ascending = false;
    t.columns.forEach((c, i) => {
      const th = el("th", c.numeric ? "num" : null, c.name);
      th.addEventListener("click", () => {
        ascending = sortCol === i ? !ascending : !c.numeric;
        sortCol = i;
        const rows = t.rows.slice().sort((a, b) => {
          const x = a[i], y = b[i];
          const r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
          return ascending ? r : -r;
        });
        fill(rows);
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    table.appendChild(thead);
    const tbody = el("tbody");
    table.appendChild(tbody);
    function fill(rows) {
      tbody.textContent = "";
      for (const row of rows) {
        const r = el("tr");
        row.forEach((cell, i) => {
          const numeric = t.columns[i].numeric && typeof cell === "number";
          const td = el("td", numeric ? "num" : null,
                        numeric ? (t.columns[i].name === "Change" ? signed(cell) : bytes(cell)) : cell);
          if (numeric) td.dataset.bytes = String(cell);
          if (numeric) td.title = human(cell);
          r.appendChild(td);
        });
        tbody.appendChild(r);
      }
    }
    fill(t.rows);
    tableBox.appendChild(table);
    if (t.note) tableBox.appendChild(el("p", "more", t.note));
    if (t.more) tableBox.appendChild(el("p", "more", t.more + " more rows not shown: the CSV or JSON report has them all"));
    if (!t.rows.length) tableBox.appendChild(el("p", "more", "nothing to show"));
  }
  data.tables.forEach((t, i) => {
    const b = el("button", "tab", t.title);
    b.addEventListener("click", () => showTable(t, b));
    tabs.appendChild(b);
    if (i === Math.min(2, data.tables.length - 1)) showTable(t, b);
  });

  // --- size traps (report) -----------------------------------------------------------------
  if (data.hints && data.hints.length) {
    const box = el("section", "hints");
    box.id = "hints";
    box.appendChild(el("h2", null, "Size traps"));
    for (const h of data.hints) {
      const row = el("div", "hint");
      row.dataset.id = h.id;
      row.appendChild(el("div", "hint-title", h.title));
      // A setting's value (value_at_least) has no bytes of its own to give.
      const sizes = h.evidence_bytes || h.retained
        ? " (" + bytes(h.evidence_bytes) + "); leaving it out saves " + bytes(h.retained) : "";
      row.appendChild(el("div", "hint-found", "found: " + h.evidence + sizes));
      if (h.why.length) {
        const chain = el("ol", "why");
        for (const step of h.why) chain.appendChild(el("li", null, step));
        row.appendChild(chain);
      }
      row.appendChild(el("div", "hint-remedy", h.remedy));
      box.appendChild(row);
    }
    document.body.appendChild(box);
  }

  // --- notes ---------------------------------------------------------------------------------
  if (data.notes && data.notes.length) {
    const notes = el("section", "notes");
    notes.appendChild(el("h2", null, "Notes"));
    const list = el("ul");
    for (const n of data.notes) list.appendChild(el("li", null, n));
    notes.appendChild(list);
    document.body.appendChild(notes);
  }

  render();
  // For tests and the curious: when the page was ready, in ms since navigation began.
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = "1";
})();
