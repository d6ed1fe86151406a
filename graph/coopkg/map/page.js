// coopkg map page: plain JavaScript, no library, no tile server; works offline from a file:// URL.
(function () {
  "use strict";
  var DEG = 4;  // SVG units per degree (plate carrée: x = longitude, y = -latitude)
  var LABEL_PX = 11;  // place names' size on screen at every zoom
  var data = JSON.parse(document.getElementById("map-data").textContent);
  var svg = document.getElementById("map");
  var viewport = document.getElementById("viewport");
  var panel = document.getElementById("panel");
  var view = { x: 0, y: 0, k: 1 };
  var fitK = 1;
  var selected = null;
  var state = { statuses: {}, year: null, lang: data.lang || "en" };
  var aggregate = data.arcs.length > data.aggregateOver;  // a big map draws country pairs until zoomed in
  var arcsDrawn = false;

  var STRINGS = {
    en: {
      language: "Language", find: "Find a collectivity", findButton: "Find", status: "Status", year: "Year",
      allYears: "all years", fit: "fit", searchPlaceholder: "name or key, e.g. Timiș",
      yearHint: "With a year chosen, a partnership shows from its first known date to its end; one with no known date is hidden.",
      stageHint: "Drag to pan, wheel to zoom, click a place or an arc.", panelHint: "Click a place to see its partnerships, or an arc for one partnership.",
      summary: "{actors} places, {arcs} partnerships on the map", unlocated: "{n} actors without a point (not on the map)",
      notFound: "No actor matches “{q}”.", notOnMap: "{name} has no point: it is not on the map.",
      partnerships: "Partnerships", partners: "partners", start: "start", end: "end", unknownStart: "start unknown", datesNotStated: "dates not stated",
      unknownEnd: "end unknown", endReason: "ended because", themes: "themes", funding: "funding", kinds: "kind",
      distance: "distance", pairs: "{count} partnerships between {a} and {b} (zoom in to see each)",
      legendPairs: "partnerships between two countries (zoomed out)", source: "point from", noPoint: "no point, not on the map"
    },
    fr: {
      language: "Langue", find: "Chercher une collectivité", findButton: "Chercher", status: "Statut", year: "Année",
      allYears: "toutes les années", fit: "tout voir", searchPlaceholder: "nom ou clé, p. ex. Timiș",
      yearHint: "Pour une année donnée, un partenariat apparaît de sa première date connue à sa fin ; sans date connue, il est masqué.",
      stageHint: "Glisser pour déplacer, molette pour zoomer, cliquer sur un lieu ou un arc.",
      panelHint: "Cliquez sur un lieu pour voir ses partenariats, ou sur un arc pour un partenariat.",
      summary: "{actors} lieux, {arcs} partenariats sur la carte", unlocated: "{n} acteurs sans coordonnées (absents de la carte)",
      notFound: "Aucun acteur ne correspond à « {q} ».", notOnMap: "{name} n’a pas de coordonnées : absent de la carte.",
      partnerships: "Partenariats", partners: "partenaires", start: "début", end: "fin", unknownStart: "début inconnu", datesNotStated: "dates non indiquées",
      unknownEnd: "fin inconnue", endReason: "fin due à", themes: "thèmes", funding: "financement", kinds: "type",
      distance: "distance", pairs: "{count} partenariats entre {a} et {b} (zoomer pour les voir un à un)",
      legendPairs: "partenariats entre deux pays (vue d’ensemble)", source: "coordonnées :", noPoint: "sans coordonnées, absent de la carte"
    }
  };
  function t(key, values) {
    var text = (STRINGS[state.lang] || STRINGS.en)[key] || STRINGS.en[key] || key;
    Object.keys(values || {}).forEach(function (name) { text = text.replace("{" + name + "}", values[name]); });
    return text;
  }
  function label(value) {  // {en:..., fr:...} or a plain string
    if (value && typeof value === "object") { return value[state.lang] || value.en || ""; }
    return value === undefined || value === null ? "" : String(value);
  }
  var fold = coopkgPage.fold, el = coopkgPage.el, html = coopkgPage.html;  // common.js
  function path(pieces) {
    return pieces.map(function (piece) {
      return piece.map(function (p, i) { return (i ? "L" : "M") + ((p[0] + 180) * DEG).toFixed(2) + " " + ((90 - p[1]) * DEG).toFixed(2); }).join("");
    }).join("");
  }
  // A partnership's title in the page's language where the data has it, else its own title.
  function titleOf(p) { return (p.titles && p.titles[state.lang]) || p.title; }
  function countryName(code) { return label(data.countryNames[code]) || code; }

  // ---- drawing -------------------------------------------------------------
  var land = document.getElementById("land");
  data.outlines.forEach(function (c) {
    var d = c.rings.map(function (ring) { return path([ring]) + "Z"; }).join("");
    var shape = el("path", { "class": "country", d: d }, land);
    el("title", {}, shape).textContent = c.name;
  });
  var samePoint = {};
  data.actors.forEach(function (a, i) {
    a.index = i; a.partnerships = [];
    a.x0 = (a.lon + 180) * DEG; a.y0 = (90 - a.lat) * DEG;
    a.x = a.x0; a.y = a.y0;
    (samePoint[a.lat + "," + a.lon] = samePoint[a.lat + "," + a.lon] || []).push(a);
  });
  // Places sharing one point (a region placed at its seat city) sit side by side on screen.
  Object.keys(samePoint).forEach(function (key) {
    var group = samePoint[key];
    group.forEach(function (a, i) {
      var angle = 2 * Math.PI * i / group.length - Math.PI / 2;
      a.dx = group.length > 1 ? 7 * Math.cos(angle) : 0; a.dy = group.length > 1 ? 7 * Math.sin(angle) : 0;
    });
  });
  data.partnerships.forEach(function (p) {
    p.arcs = [];
    p.parties.forEach(function (i) { if (i !== null) { data.actors[i].partnerships.push(p); } });
  });
  data.arcs.forEach(function (arc) { data.partnerships[arc.p].arcs.push(arc); });

  function drawArcs() {
    if (arcsDrawn) { return; }
    arcsDrawn = true;
    var layer = document.getElementById("arcs");
    data.arcs.forEach(function (arc) {
      var style = data.styles[arc.style];
      arc.el = el("path", {
        "class": "arc", d: path(arc.pieces), stroke: style.color, "stroke-width": style.width,
        "stroke-dasharray": style.dotted ? "2 3" : style.dashed ? "7 4" : "none", "data-link": data.partnerships[arc.p].link
      }, layer);
      el("title", {}, arc.el).textContent = titleOf(data.partnerships[arc.p]);
      arc.el.addEventListener("click", function (ev) { ev.stopPropagation(); showPartnership(data.partnerships[arc.p]); });
    });
  }
  var pairLayer = document.getElementById("pairs");
  var maxPair = data.pairs.reduce(function (m, p) { return Math.max(m, p.count); }, 1);
  data.pairs.forEach(function (pair) {
    if (!pair.pieces.length) { return; }
    pair.el = el("path", { "class": "pair", d: path(pair.pieces), "stroke-width": (1 + 7 * Math.sqrt(pair.count / maxPair)).toFixed(2) }, pairLayer);
    pair.tip = el("title", {}, pair.el);
    pair.el.addEventListener("click", function (ev) {
      ev.stopPropagation();
      var c = pair.countries;
      zoomTo(data.countryPoints[c[0]], data.countryPoints[c[1]]);
    });
  });
  var markerLayer = document.getElementById("markers");
  var maxDegree = data.actors.reduce(function (m, a) { return Math.max(m, a.degree); }, 1);
  var crowded = data.actors.length > 2000;  // small markers, or an atlas-scale map is one blot
  data.actors.forEach(function (a) {
    a.r = crowded ? 1.2 + 3 * Math.sqrt(a.degree / maxDegree) : 2.5 + 7 * Math.sqrt(a.degree / maxDegree);
    a.el = el("circle", { "class": "marker", cx: a.x.toFixed(2), cy: a.y.toFixed(2), r: a.r, fill: data.colors[a.country] || "#c8c8c8",
      "data-key": a.key }, markerLayer);
    a.tip = el("title", {}, a.el);
    a.el.addEventListener("click", function (ev) { ev.stopPropagation(); select(a); });
  });
  // Names: the most connected places always, every place once zoomed in.
  var labelLayer = document.getElementById("labels");
  var ranked = data.actors.slice().sort(function (p, q) { return q.degree - p.degree || (p.display < q.display ? -1 : 1); });
  ranked.forEach(function (a, rank) {
    a.top = rank < data.labelTop;
    a.label = el("text", { "class": "place-label", x: a.x.toFixed(2), y: a.y.toFixed(2), "font-size": LABEL_PX }, labelLayer);
    a.label.textContent = a.display;
  });
  // Each name's width at LABEL_PX, measured once (user units = screen pixels at that size):
  // the collision test of every render needs it for thousands of names.
  ranked.forEach(function (a) { a.labelWidth = a.label.getComputedTextLength(); });

  // ---- filters -------------------------------------------------------------
  function activeIn(p, year) {
    if (year === null) { return true; }
    if (p.status === "planned") { return false; }  // planned items are not active (docs/time.md)
    var first = p.start_year !== null ? p.start_year : p.end_year;  // unknown start: from its first known date
    if (first === null) { return false; }
    return first <= year && (p.end_year === null || year <= p.end_year);
  }
  function visible(p) { return state.statuses[p.status] !== false && activeIn(p, state.year); }
  function apply() {
    var shownActors = {};
    var shown = 0;
    data.partnerships.forEach(function (p) {
      p.shown = visible(p);
      if (p.shown) { shown += 1; p.parties.forEach(function (i) { if (i !== null) { shownActors[i] = true; } }); }
    });
    data.arcs.forEach(function (arc) { if (arc.el) { arc.el.classList.toggle("hidden", !data.partnerships[arc.p].shown); } });
    var pairCounts = {};
    data.arcs.forEach(function (arc) {
      if (data.partnerships[arc.p].shown && arc.pair !== null) { pairCounts[arc.pair] = (pairCounts[arc.pair] || 0) + 1; }
    });
    data.pairs.forEach(function (pair, i) {
      if (!pair.el) { return; }
      pair.shownCount = pairCounts[i] || 0;
      pair.el.classList.toggle("hidden", !pair.shownCount);
      pair.tip.textContent = t("pairs", { count: pair.shownCount, a: countryName(pair.countries[0]), b: countryName(pair.countries[1]) });
    });
    data.actors.forEach(function (a) {
      a.el.classList.toggle("hidden", !shownActors[a.index] && a.partnerships.length > 0);
    });
    if (ready) { placeLabels(view.k >= fitK * data.detailZoom); }
    if (selected && !shownActors[selected.index]) { select(null); }  // a hidden place cannot stay selected
    document.getElementById("summary").textContent = t("summary", { actors: Object.keys(shownActors).length, arcs: shown });
    levelOfDetail();
  }
  var ready = false;  // the level of detail is judged against the first fitted zoom
  function levelOfDetail() {
    if (!ready) { return; }
    var detail = !aggregate || view.k >= fitK * data.detailZoom;
    if (detail) { drawArcs(); }
    document.getElementById("arcs").style.display = detail ? "" : "none";
    pairLayer.style.display = detail ? "none" : "";
    if (detail && arcsDrawn) {
      data.arcs.forEach(function (arc) { arc.el.classList.toggle("hidden", !data.partnerships[arc.p].shown); });
    }
  }

  // ---- view: pan and zoom --------------------------------------------------
  // Names never overlap: in rank order (most partnerships first) a name is shown only if
  // its box on screen meets no name already shown. Boxes go in a grid of CELL pixels, so
  // each test looks at a few neighbours, not at every name placed.
  var CELL = 64;
  function placeLabels(all) {
    var b = box();
    var grid = {};
    function cells(r, visit) {
      for (var i = Math.floor(r[0] / CELL); i <= Math.floor(r[2] / CELL); i++) {
        for (var j = Math.floor(r[1] / CELL); j <= Math.floor(r[3] / CELL); j++) {
          if (visit(i + ":" + j) === false) { return false; }
        }
      }
      return true;
    }
    function free(r) {
      return cells(r, function (c) {
        var here = grid[c] || [];
        for (var n = 0; n < here.length; n++) {
          var o = here[n];
          if (r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3]) { return false; }
        }
      });
    }
    ranked.forEach(function (a) {
      var show = !a.el.classList.contains("hidden") && (a.top || all);
      if (show) {
        var left = view.x + view.k * a.x + a.r + 2, baseline = view.y + view.k * a.y + 4;
        // the halo (3 px stroke) and the font's ascent and descent, with a pixel to spare
        var r = [left - 3, baseline - LABEL_PX - 2, left + a.labelWidth + 3, baseline + LABEL_PX * 0.35 + 2];
        show = r[2] > 0 && r[0] < b.w && r[3] > 0 && r[1] < b.h && free(r);  // off screen: nothing to hide behind
        if (show) { cells(r, function (c) { (grid[c] = grid[c] || []).push(r); }); }
      }
      a.label.classList.toggle("hidden", !show);
    });
  }
  function render() {
    viewport.setAttribute("transform", "translate(" + view.x.toFixed(2) + "," + view.y.toFixed(2) + ") scale(" + view.k.toFixed(4) + ")");
    var inv = 1 / view.k;
    var all = view.k >= fitK * data.detailZoom;
    data.actors.forEach(function (a) {
      a.x = a.x0 + a.dx * inv; a.y = a.y0 + a.dy * inv;
      a.el.setAttribute("cx", a.x.toFixed(3)); a.el.setAttribute("cy", a.y.toFixed(3));
      a.el.setAttribute("r", (a.r * Math.max(inv, 0.08)).toFixed(3));
      a.label.setAttribute("font-size", (LABEL_PX * inv).toFixed(3));
      a.label.setAttribute("stroke-width", (3 * inv).toFixed(3));
      a.label.setAttribute("x", (a.x + (a.r + 2) * inv).toFixed(3));
      a.label.setAttribute("y", (a.y + 4 * inv).toFixed(3));
    });
    placeLabels(all);
    levelOfDetail();
  }
  function box() { var r = svg.getBoundingClientRect(); return { w: r.width || 800, h: r.height || 500 }; }
  function fitTo(x0, y0, x1, y1) {
    var b = box();
    var w = Math.max(x1 - x0, 24 * DEG), h = Math.max(y1 - y0, 14 * DEG);
    var k = Math.min(b.w / (w * 1.15), b.h / (h * 1.15));
    view.k = k; view.x = b.w / 2 - k * (x0 + x1) / 2; view.y = b.h / 2 - k * (y0 + y1) / 2;
    render();
  }
  function fit() {
    var shown = data.actors.filter(function (a) { return !a.el.classList.contains("hidden"); });
    if (!shown.length) { shown = data.actors; }
    if (!shown.length) { fitTo(0, 0, 360 * DEG, 180 * DEG); return; }
    var xs = shown.map(function (a) { return a.x; }), ys = shown.map(function (a) { return a.y; });
    fitTo(Math.min.apply(null, xs), Math.min.apply(null, ys), Math.max.apply(null, xs), Math.max.apply(null, ys));
  }
  function zoomAt(factor, cx, cy) {
    var k = Math.min(Math.max(view.k * factor, fitK * 0.5), fitK * 400);
    view.x = cx - (cx - view.x) * (k / view.k); view.y = cy - (cy - view.y) * (k / view.k); view.k = k;
    render();
  }
  function zoomTo(p, q) {  // two [lat, lon] points
    var x0 = (Math.min(p[1], q[1]) + 180) * DEG, x1 = (Math.max(p[1], q[1]) + 180) * DEG;
    var y0 = (90 - Math.max(p[0], q[0])) * DEG, y1 = (90 - Math.min(p[0], q[0])) * DEG;
    fitTo(x0, y0, x1, y1);
    if (aggregate && view.k < fitK * data.detailZoom) { zoomAt(fitK * data.detailZoom / view.k, box().w / 2, box().h / 2); }
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var r = svg.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("mousedown", function (ev) { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y, moved: false }; svg.classList.add("dragging"); });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) { return; }
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
    view.x = drag.vx + dx; view.y = drag.vy + dy; render();
  });
  window.addEventListener("mouseup", function () { drag = null; svg.classList.remove("dragging"); });
  document.getElementById("zoom-in").addEventListener("click", function () { zoomAt(1.5, box().w / 2, box().h / 2); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomAt(1 / 1.5, box().w / 2, box().h / 2); });
  document.getElementById("zoom-reset").addEventListener("click", fit);

  // ---- panel ---------------------------------------------------------------
  function dateWords(key) { return t({ startUnknown: "unknownStart", endUnknown: "unknownEnd" }[key] || key); }
  // The panel's item is the network page's (common.js); the map adds the distance.
  function partnershipItem(p, from) {
    var partners = p.parties.filter(function (i) { return i !== from; }).map(function (i) {
      if (i === null) { return { text: "?" }; }
      var a = data.actors[i];
      return { text: a.display + " (" + countryName(a.country) + ")", select: function () { select(a); } };
    }).concat(p.unlocated.map(function (u) { return { text: u + " (" + t("noPoint") + ")" }; }));
    return coopkgPage.partnershipItem({
      link: p.link, title: titleOf(p), lead: t("partners") + ": ", partners: partners,
      status: label(data.statusLabels[p.status]) || p.status, color: (data.styles[p.style] || {}).color || "#8c8c8c",
      dates: coopkgPage.dates(p, dateWords),
      ended: p.end_reason ? t("endReason") + " " + (label(data.endReasonLabels[p.end_reason]) || p.end_reason) : "",
      details: [p.kinds.length ? t("kinds") + ": " + p.kinds.map(function (k) { return label(data.kindLabels[k]) || k; }).join(", ") : "",
        p.themes.length ? t("themes") + ": " + p.themes.map(function (k) { return label(data.themeLabels[k]) || k; }).join(", ") : "",
        p.funding ? t("funding") + ": " + p.funding : "",
        p.distance_km !== null ? t("distance") + ": " + p.distance_km + " km" : ""]
    });
  }
  function showPartnership(p) {
    panel.textContent = "";
    panel.appendChild(html("h2", titleOf(p)));
    var list = html("ul"); list.appendChild(partnershipItem(p, null)); panel.appendChild(list);
  }
  function select(actor) {
    if (selected) { selected.el.classList.remove("selected"); }
    selected = actor;
    panel.textContent = "";
    if (!actor) { panel.appendChild(html("p", t("panelHint"), "hint")); return; }
    actor.el.classList.add("selected");
    panel.appendChild(html("h2", actor.display));
    panel.appendChild(html("p", countryName(actor.country) + (actor.source ? " — " + t("source") + " " + actor.source : ""), "hint"));
    panel.appendChild(html("h3", t("partnerships")));
    var list = html("ul");
    actor.partnerships.filter(function (p) { return p.shown; }).forEach(function (p) { list.appendChild(partnershipItem(p, actor.index)); });
    panel.appendChild(list);
  }
  svg.addEventListener("click", function () { if (!drag || !drag.moved) { select(null); } });

  // ---- search, status, year, language --------------------------------------
  var names = document.getElementById("actor-names");
  data.actors.forEach(function (a) { var o = document.createElement("option"); o.value = a.display; names.appendChild(o); });
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = fold(document.getElementById("search").value);
    var message = document.getElementById("search-message");
    message.textContent = "";
    if (!q) { return; }
    var hit = data.actors.filter(function (a) { return fold(a.display) === q || fold(a.key) === q; })[0]
      || data.actors.filter(function (a) { return fold(a.display).indexOf(q) >= 0 || fold(a.label).indexOf(q) >= 0; })[0];
    if (!hit) {
      var missing = data.unlocated.filter(function (u) { return fold(u.label).indexOf(q) >= 0 || fold(u.key) === q; })[0];
      message.textContent = missing ? t("notOnMap", { name: missing.label }) : t("notFound", { q: document.getElementById("search").value });
      return;
    }
    var p = [hit.lat, hit.lon];
    fitTo(hit.x - 6 * DEG, hit.y - 4 * DEG, hit.x + 6 * DEG, hit.y + 4 * DEG);  // zoom to the hit
    zoomTo(p, p);
    select(hit);
  });
  var statusBox = document.getElementById("status-filter");
  function statusControls() {
    Array.prototype.slice.call(statusBox.querySelectorAll("label")).forEach(function (n) { n.remove(); });
    data.statuses.forEach(function (s) {
      var row = html("label", null, "inline");
      var box = document.createElement("input");
      box.type = "checkbox"; box.checked = state.statuses[s.code] !== false; box.value = s.code;
      box.addEventListener("change", function () { state.statuses[s.code] = box.checked; apply(); fit(); });
      row.appendChild(box);
      row.appendChild(document.createTextNode(" " + (label(data.statusLabels[s.code]) || s.code) + " (" + s.count + ")"));
      statusBox.appendChild(row); statusBox.appendChild(html("br"));
    });
  }
  var yearInput = document.getElementById("year"), yearAll = document.getElementById("year-all");
  var yearValue = document.getElementById("year-value");
  if (data.years) {
    yearInput.min = data.years[0]; yearInput.max = data.years[1]; yearInput.value = data.years[1];
  } else { yearAll.disabled = true; }
  function yearChanged() {
    yearInput.disabled = yearAll.checked;
    state.year = yearAll.checked ? null : parseInt(yearInput.value, 10);
    yearValue.textContent = state.year === null ? "" : String(state.year);
    apply();
  }
  yearAll.addEventListener("change", yearChanged);
  yearInput.addEventListener("input", yearChanged);
  function legend() {
    var box = document.getElementById("legend");
    box.textContent = "";
    Object.keys(data.styles).forEach(function (name) {
      var s = data.styles[name];
      var row = html("div", null, "item");
      var sample = el("svg", { viewBox: "0 0 34 10" }, row);
      el("line", { x1: 1, y1: 5, x2: 33, y2: 5, stroke: s.color, "stroke-width": s.width,
        "stroke-dasharray": s.dotted ? "2 3" : s.dashed ? "7 4" : "none" }, sample);
      row.appendChild(html("span", label(s.label)));
      box.appendChild(row);
    });
    if (aggregate) {
      var row = html("div", null, "item");
      var sample = el("svg", { viewBox: "0 0 34 10" }, row);
      el("line", { x1: 1, y1: 5, x2: 33, y2: 5, stroke: "#2f5d8a", "stroke-width": 4, opacity: 0.55 }, sample);
      row.appendChild(html("span", t("legendPairs")));
      box.appendChild(row);
    }
    var un = document.getElementById("unlocated");
    un.style.display = data.unlocated.length ? "" : "none";
    un.querySelector("summary").textContent = t("unlocated", { n: data.unlocated.length });
    var list = un.querySelector("ul");
    list.textContent = "";
    data.unlocated.forEach(function (u) { list.appendChild(html("li", u.label + " (" + countryName(u.country) + ")")); });
  }
  function translate() {
    document.documentElement.lang = state.lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (n) { n.textContent = t(n.getAttribute("data-i18n")); });
    document.getElementById("search").placeholder = t("searchPlaceholder");
    data.actors.forEach(function (a) { a.tip.textContent = a.display + " (" + countryName(a.country) + ")"; });
    statusControls(); legend(); apply();
    if (selected) { select(selected); }
  }
  var langSelect = document.getElementById("lang");
  langSelect.value = state.lang;
  langSelect.addEventListener("change", function () { state.lang = langSelect.value; translate(); });

  translate();
  fit();
  fitK = view.k;
  ready = true;
  render();
  window.coopkgMap = { data: data, view: view, state: state, select: select, fit: fit, zoomAt: zoomAt };
})();
