// coopkg network page: plain JavaScript, no library, works offline from a file:// URL.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var svg = document.getElementById("net");
  var viewport = document.getElementById("viewport");
  var edgeLayer = document.getElementById("edges");
  var nodeLayer = document.getElementById("nodes");
  var panel = document.getElementById("panel");
  var byId = {};
  var view = { x: 0, y: 0, k: 1 };
  var fitK = 1;  // the zoom that shows everything; names of small actors appear past 2x
  var selected = null;
  var state = { statuses: {}, country: "", theme: "", year: null };

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function html(name, text, cls) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  // ---- drawing -------------------------------------------------------------
  function setSide(n, i) {
    var side = n.sides[i];
    n.side = i;
    n.text.setAttribute("text-anchor", side[0]);
    n.text.setAttribute("x", side[1]);
    n.text.setAttribute("y", side[2]);
  }
  data.nodes.forEach(function (n) { n.edges = []; byId[n.id] = n; });
  data.edges.forEach(function (e) {
    var a = byId[e.source], b = byId[e.target];
    a.edges.push(e); b.edges.push(e);
    var style = data.styles[e.style];
    e.ox = 0; e.oy = 0;  // screen-pixel offset of parallel partnerships
    e.el = el("line", {
      "class": "edge", stroke: style.color,
      "stroke-width": style.width, "stroke-dasharray": style.dotted ? "2 3" : style.dashed ? "7 4" : "none",
      "data-link": e.link
    }, edgeLayer);
    var tip = el("title", {}, e.el);
    tip.textContent = e.title + " (" + style.label + ")";
  });
  // Parallel partnerships side by side.
  var pairs = {};
  data.edges.forEach(function (e) {
    var key = [e.source, e.target].sort().join("|");
    (pairs[key] = pairs[key] || []).push(e);
  });
  Object.keys(pairs).forEach(function (key) {
    var list = pairs[key];
    if (list.length < 2) { return; }
    list.forEach(function (e, i) {
      var a = byId[e.source], b = byId[e.target];
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
      var shift = (i - (list.length - 1) / 2) * 5;
      e.ox = -dy / len * shift; e.oy = dx / len * shift;
    });
  });
  data.nodes.forEach(function (n) {
    var g = el("g", { "class": "node", "data-id": n.id, "data-key": n.key }, nodeLayer);
    var r = n.radius;
    var shape;
    if (n.kind === "institution") {
      shape = el("rect", { x: -r, y: -r, width: 2 * r, height: 2 * r, rx: 2 }, g);
    } else if (n.kind === "funder") {
      shape = el("rect", { x: -r, y: -r, width: 2 * r, height: 2 * r, transform: "rotate(45)" }, g);
    } else {
      shape = el("circle", { r: r }, g);
    }
    shape.setAttribute("class", "shape");
    shape.setAttribute("fill", data.countries[n.country] || "#c8c8c8");
    // Label on the side away from the node's partners, so it does not sit on its edges.
    var vx = 0, vy = 0;
    n.edges.forEach(function (e) {
      var other = byId[e.source === n.id ? e.target : e.source];
      var dx = n.x - other.x, dy = n.y - other.y, len = Math.hypot(dx, dy) || 1;
      vx += dx / len; vy += dy / len;
    });
    if (Math.abs(vx) < 0.2 && Math.abs(vy) < 0.2) { vx = 1; vy = 0; }
    var text = el("text", {}, g);
    text.textContent = n.display;
    var right = ["start", r + 4, 4], left = ["end", -r - 4, 4], below = ["middle", 0, r + 14], above = ["middle", 0, -r - 5];
    if (Math.abs(vx) >= Math.abs(vy) * 0.7) {
      n.sides = vx > 0 ? [right, left, above, below] : [left, right, above, below];
    } else {
      n.sides = vy > 0 ? [below, above, right, left] : [above, below, right, left];
    }
    n.text = text;
    setSide(n, 0);
    if (!n.labelled) { g.classList.add("small-label"); }
    var tip = el("title", {}, g);
    tip.textContent = n.label + (n.label !== n.display ? " (" + n.display + ")" : "") + " — " + n.country;
    g.addEventListener("click", function (event) { event.stopPropagation(); select(n.id); });
    n.el = g;
  });

  // ---- pan and zoom --------------------------------------------------------
  // Zoom moves the actors apart but keeps markers and names at their size, so names
  // stay readable at every zoom level.
  function apply() {
    viewport.setAttribute("transform", "translate(" + view.x + "," + view.y + ")");
    var k = view.k;
    data.nodes.forEach(function (n) { n.el.setAttribute("transform", "translate(" + n.x * k + "," + n.y * k + ")"); });
    data.edges.forEach(function (e) {
      var a = byId[e.source], b = byId[e.target];
      e.el.setAttribute("x1", a.x * k + e.ox); e.el.setAttribute("y1", a.y * k + e.oy);
      e.el.setAttribute("x2", b.x * k + e.ox); e.el.setAttribute("y2", b.y * k + e.oy);
    });
    svg.classList.toggle("zoomed", view.k > 2 * fitK);
    scheduleDeclutter();
  }
  // Names must not collide: the most connected actors keep theirs; another name tries
  // the other sides of its marker and is hidden (still in the tooltip) if none is free.
  var labelTimer = null;
  function declutter() {
    var placed = [];
    var shown = data.nodes.filter(function (n) { return n.visible && (n.labelled || svg.classList.contains("zoomed")); });
    if (shown.length > 1500) { return; }
    shown.forEach(function (n) {
      var p = { x: n.x * view.k, y: n.y * view.k };
      placed.push([p.x - n.radius, p.y - n.radius, p.x + n.radius, p.y + n.radius]);
    });
    shown.slice().sort(function (a, b) { return b.degree - a.degree || (a.display < b.display ? -1 : 1); }).forEach(function (n) {
      n.el.classList.remove("label-hidden");
      var found = false;
      for (var i = 0; i < n.sides.length && !found; i += 1) {
        setSide(n, i);
        var b = n.text.getBBox(), x = n.x * view.k, y = n.y * view.k;
        var rect = [x + b.x - 2, y + b.y - 1, x + b.x + b.width + 2, y + b.y + b.height + 1];
        found = !placed.some(function (o) { return rect[0] < o[2] && o[0] < rect[2] && rect[1] < o[3] && o[1] < rect[3]; });
        if (found) { placed.push(rect); }
      }
      if (!found) { setSide(n, 0); n.el.classList.add("label-hidden"); }
    });
  }
  function scheduleDeclutter() {
    if (labelTimer) { clearTimeout(labelTimer); }
    labelTimer = setTimeout(declutter, 60);
  }

  function fit() {
    // Fit the drawn extent, names included, so nothing is cut at the edges.
    var box = svg.getBoundingClientRect(), pad = 20;
    var xs = data.nodes.map(function (n) { return n.x; }), ys = data.nodes.map(function (n) { return n.y; });
    var dx = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs), 1);
    var dy = Math.max(Math.max.apply(null, ys) - Math.min.apply(null, ys), 1);
    view.k = Math.max(Math.min((box.width - 2 * pad - 200) / dx, (box.height - 2 * pad - 40) / dy, 3), 0.02);
    for (var i = 0; i < 3; i += 1) {
      apply();
      var ext = viewport.getBBox();
      var shrink = Math.min((box.width - 2 * pad) / ext.width, (box.height - 2 * pad) / ext.height);
      if (shrink >= 1) { break; }
      view.k *= Math.max(shrink * 0.97, 0.3);
    }
    fitK = view.k;
    apply();
    ext = viewport.getBBox();
    view.x = box.width / 2 - (ext.x + ext.width / 2);
    view.y = box.height / 2 - (ext.y + ext.height / 2);
    apply();
    declutter();
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.max(Math.min(view.k * factor, 40), 0.02);
    view.x = cx - (cx - view.x) * (k / view.k);
    view.y = cy - (cy - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var box = svg.getBoundingClientRect();
    zoomAt(event.deltaY < 0 ? 1.15 : 1 / 1.15, event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (event) {
    if (event.target.closest && event.target.closest(".node")) { return; }
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y, moved: false };
    svg.classList.add("dragging");
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    view.x = drag.vx + event.clientX - drag.x;
    view.y = drag.vy + event.clientY - drag.y;
    drag.moved = drag.moved || Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 3;
    apply();
  });
  var justDragged = false;
  window.addEventListener("pointerup", function () {
    justDragged = !!(drag && drag.moved);
    drag = null;
    svg.classList.remove("dragging");
  });
  function centreOf() { var b = svg.getBoundingClientRect(); return [b.width / 2, b.height / 2]; }
  document.getElementById("zoom-in").addEventListener("click", function () { var c = centreOf(); zoomAt(1.4, c[0], c[1]); });
  document.getElementById("zoom-out").addEventListener("click", function () { var c = centreOf(); zoomAt(1 / 1.4, c[0], c[1]); });
  document.getElementById("zoom-reset").addEventListener("click", function () { fit(); });

  // ---- filters ---------------------------------------------------------------
  function activeIn(e, year) {
    if (year === null) { return true; }
    // docs/time.md: unknown is unknown. A start that nothing dates is not "since forever":
    // the partnership shows from its first known year, its end year when nothing else is dated
    if (e.start_year === null) { return e.end_year !== null && e.end_year === year; }
    if (e.start_year > year) { return false; }
    return !(e.end_year !== null && e.end_year < year);
  }
  function edgeVisible(e) {
    if (!state.statuses[e.status]) { return false; }
    if (state.country && byId[e.source].country !== state.country && byId[e.target].country !== state.country) { return false; }
    if (state.theme && e.themes.indexOf(state.theme) < 0) { return false; }
    return activeIn(e, state.year);
  }
  function refresh() {
    var shown = {}, links = {}, count = 0;
    data.edges.forEach(function (e) {
      e.visible = edgeVisible(e);
      e.el.classList.toggle("hidden", !e.visible);
      if (e.visible) { shown[e.source] = true; shown[e.target] = true; links[e.link] = true; }
    });
    data.nodes.forEach(function (n) {
      n.visible = !!shown[n.id];
      n.el.classList.toggle("hidden", !n.visible);
      if (n.visible) { count += 1; }
    });
    var partnerships = Object.keys(links).length;
    var when = state.year === null ? "all years" : "in " + state.year;
    document.getElementById("summary").textContent = count + " of " + data.nodes.length + " actors, " + partnerships +
      " of " + data.partnerships + " partnerships shown (" + when + ")" + (data.filters ? "; built with: " + data.filters : "");
    if (selected) { showPanel(selected); }
    scheduleDeclutter();
  }
  var statusBox = document.getElementById("status-filter");
  data.statuses.forEach(function (s) {
    state.statuses[s.code] = true;
    var label = html("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = s.code; box.id = "status-" + s.code;
    box.addEventListener("change", function () { state.statuses[s.code] = box.checked; refresh(); });
    label.appendChild(box);
    label.appendChild(document.createTextNode((s.code === "unknown" ? "not stated" : s.code) + " (" + s.count + ")"));
    statusBox.appendChild(label);
  });
  var countrySelect = document.getElementById("country-filter");
  Object.keys(data.countries).forEach(function (code) {
    var option = html("option", code + " (" + data.countryCounts[code] + " actors)");
    option.value = code; countrySelect.appendChild(option);
  });
  countrySelect.addEventListener("change", function () { state.country = countrySelect.value; refresh(); });
  var themeSelect = document.getElementById("theme-filter");
  Object.keys(data.themes).sort(function (a, b) { return data.themes[a].localeCompare(data.themes[b]); }).forEach(function (code) {
    var option = html("option", data.themes[code]);
    option.value = code; themeSelect.appendChild(option);
  });
  themeSelect.addEventListener("change", function () { state.theme = themeSelect.value; refresh(); });
  var year = document.getElementById("year"), yearAll = document.getElementById("year-all");
  var yearValue = document.getElementById("year-value");
  if (data.years) {
    year.min = data.years[0]; year.max = data.years[1]; year.value = data.years[1];
  } else {
    yearAll.disabled = true;
  }
  function onYear() {
    year.disabled = yearAll.checked;
    state.year = yearAll.checked ? null : parseInt(year.value, 10);
    yearValue.textContent = yearAll.checked ? "" : year.value;
    refresh();
  }
  year.addEventListener("input", onYear);
  yearAll.addEventListener("change", onYear);

  // ---- legend ------------------------------------------------------------------
  var legend = document.getElementById("legend");
  legend.appendChild(html("h3", "Partnerships"));
  Object.keys(data.styles).forEach(function (name) {
    var s = data.styles[name], item = html("div", null, "item");
    var icon = el("svg", { width: 34, height: 10 }); item.appendChild(icon);
    el("line", { x1: 1, y1: 5, x2: 33, y2: 5, stroke: s.color, "stroke-width": s.width,
      "stroke-dasharray": s.dotted ? "2 3" : s.dashed ? "7 4" : "none" }, icon);
    item.appendChild(document.createTextNode(s.label)); legend.appendChild(item);
  });
  legend.appendChild(html("h3", "Country (colour); size: partnerships"));
  Object.keys(data.countries).forEach(function (code) {
    var item = html("div", null, "item"), icon = el("svg", { width: 12, height: 12 });
    item.appendChild(icon); el("circle", { cx: 6, cy: 6, r: 5, fill: data.countries[code] }, icon);
    item.appendChild(document.createTextNode(code)); legend.appendChild(item);
  });

  // ---- search and the node panel -------------------------------------------------
  var names = document.getElementById("actor-names");
  data.nodes.slice().sort(function (a, b) { return a.display.localeCompare(b.display); }).forEach(function (n) {
    var option = document.createElement("option"); option.value = n.display; names.appendChild(option);
  });
  function find(query) {
    var q = fold(query);
    if (!q) { return null; }
    var exact = data.nodes.filter(function (n) { return fold(n.display) === q || fold(n.label) === q || n.key === q; });
    if (exact.length) { return exact[0]; }
    var partial = data.nodes.filter(function (n) { return fold(n.display).indexOf(q) >= 0 || fold(n.label).indexOf(q) >= 0 || n.key.indexOf(q) >= 0; });
    partial.sort(function (a, b) { return b.degree - a.degree; });
    return partial.length ? partial[0] : null;
  }
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("search").value, message = document.getElementById("search-message");
    data.nodes.forEach(function (n) { n.el.classList.remove("found"); });
    var hit = find(query);
    if (!hit) { message.textContent = query ? "No actor matches \u201c" + query + "\u201d." : ""; return; }
    message.textContent = "";
    hit.el.classList.add("found");
    select(hit.id);
    var box = svg.getBoundingClientRect();
    view.x = box.width / 2 - hit.x * view.k; view.y = box.height / 2 - hit.y * view.k;
    apply();
  });
  function dates(e) {
    var from = e.start || "?", to = e.end || (e.status === "ended" ? "?" : "");
    if (!e.start && !e.end) { return "dates not stated"; }
    return from + " \u2013 " + to;
  }
  function showPanel(id) {
    var n = byId[id];
    panel.textContent = "";
    panel.appendChild(html("h2", n.display));
    var meta = n.country + " \u00b7 " + (n.subkind || n.kind) + (n.label !== n.display ? " \u00b7 " + n.label : "");
    panel.appendChild(html("p", meta, "meta"));
    var visible = n.edges.filter(function (e) { return e.visible; });
    panel.appendChild(html("p", visible.length + " partnership(s) shown" + (visible.length < n.edges.length ? " of " + n.edges.length : "")));
    var list = html("ul"); list.id = "partnerships";
    visible.slice().sort(function (a, b) { return (a.start_year || 9999) - (b.start_year || 9999) || a.title.localeCompare(b.title); }).forEach(function (e) {
      var other = byId[e.source === id ? e.target : e.source], item = html("li");
      item.setAttribute("data-link", e.link);
      item.appendChild(html("div", e.title || e.link_key, "title"));
      var line = html("div");
      var partner = html("span", other.display + " (" + other.country + ")", "partner");
      partner.addEventListener("click", function () { select(other.id); });
      var funds = e.relation === "funds";
      line.appendChild(document.createTextNode(funds ? (e.funder === id ? "funds " : "funded by ") : "with "));
      line.appendChild(partner);
      item.appendChild(line);
      var status = html("div"), badge = html("span", e.status, "badge");
      badge.style.background = data.styles[e.style].color; status.appendChild(badge);
      status.appendChild(document.createTextNode(dates(e) + (e.end_reason ? " \u00b7 ended: " + e.end_reason : "") +
        (e.reorganization ? " (" + e.reorganization + ")" : "")));
      status.className = "status"; item.appendChild(status);
      if (e.kinds.length) { item.appendChild(html("div", "agreements: " + e.kinds.join(", "), "hint")); }
      if (e.themes.length) { item.appendChild(html("div", "themes: " + e.themes.map(function (t) { return data.themes[t] || t; }).join(", "), "hint")); }
      if (e.funding) { item.appendChild(html("div", "funding: " + e.funding, "hint")); }
      list.appendChild(item);
    });
    panel.appendChild(list);
  }
  function select(id) {
    if (selected && byId[selected]) { byId[selected].el.classList.remove("selected"); }
    selected = id;
    byId[id].el.classList.add("selected");
    var near = {}; near[id] = true;
    byId[id].edges.forEach(function (e) { if (e.visible) { near[e.source] = true; near[e.target] = true; } });
    data.nodes.forEach(function (n) { n.el.classList.toggle("dim", !near[n.id]); });
    data.edges.forEach(function (e) { e.el.classList.toggle("dim", e.source !== id && e.target !== id); });
    showPanel(id);
  }
  svg.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".node")) { return; }
    if (justDragged) { justDragged = false; return; }
    selected = null;
    data.nodes.forEach(function (n) { n.el.classList.remove("dim", "selected"); });
    data.edges.forEach(function (e) { e.el.classList.remove("dim"); });
  });

  refresh();
  fit();
  window.addEventListener("resize", function () { fit(); });
  window.coopkgNetwork = { nodes: data.nodes.length, edges: data.edges.length, select: select };
}());
