// coopkg network page: plain JavaScript, no library, works offline from a file:// URL.
(function () {
  "use strict";
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
  var lang = data.lang || "en";

  // ---- words of the page, in each language it speaks --------------------------------
  var WORDS = {
    en: {
      language: "Language", controls: "Search and filters", find: "Find a collectivity", findHint: "name or key, e.g. Timiș",
      findButton: "Find", status: "Status", country: "Country", allCountries: "all countries", theme: "Theme",
      allThemes: "all themes", year: "Year", allYears: "all years",
      yearHint: "With a year chosen, partnerships without any known date are hidden.",
      zoomIn: "zoom in", zoomOut: "zoom out", fit: "fit", fitTitle: "fit the whole network",
      stageHint: "Drag to pan, wheel to zoom, click an actor for its partnerships.",
      panelHint: "Click an actor to see its partnerships, with their dates and status.",
      notStated: "not stated", actors: "actors", partnershipsLegend: "Partnerships",
      countryLegend: "Country (colour); size: partnerships", noMatch: "No actor matches \u201c{0}\u201d.",
      hidden: "{0} is hidden by the current filters.",
      summary: "{0} of {1} actors, {2} of {3} partnerships shown ({4})", allYearsShown: "all years", inYear: "in {0}",
      builtWith: "; built with: {0}", shown: "{0} partnership(s) shown", of: " of {0}", with: "with ", funds: "funds ",
      fundedBy: "funded by ", datesNotStated: "dates not stated", startUnknown: "start unknown", endUnknown: "end unknown",
      ended: "ended: ", agreements: "agreements: ", themes: "themes: ", funding: "funding: ", unknownCountry: "country unknown"
    },
    fr: {
      language: "Langue", controls: "Recherche et filtres", find: "Trouver une collectivité", findHint: "nom ou clé, p. ex. Timiș",
      findButton: "Trouver", status: "Statut", country: "Pays", allCountries: "tous les pays", theme: "Thème",
      allThemes: "tous les thèmes", year: "Année", allYears: "toutes les années",
      yearHint: "Une année choisie, les partenariats sans aucune date connue sont masqués.",
      zoomIn: "zoom avant", zoomOut: "zoom arrière", fit: "ajuster", fitTitle: "montrer tout le réseau",
      stageHint: "Glisser pour déplacer, molette pour zoomer, cliquer un acteur pour ses partenariats.",
      panelHint: "Cliquez un acteur pour voir ses partenariats, avec leurs dates et leur statut.",
      notStated: "non indiqué", actors: "acteurs", partnershipsLegend: "Partenariats",
      countryLegend: "Pays (couleur) ; taille : partenariats", noMatch: "Aucun acteur ne correspond à « {0} ».",
      hidden: "{0} est masqué par les filtres actuels.",
      summary: "{0} acteurs sur {1}, {2} partenariats sur {3} affichés ({4})", allYearsShown: "toutes les années",
      inYear: "en {0}", builtWith: " ; construit avec : {0}", shown: "{0} partenariat(s) affiché(s)", of: " sur {0}",
      with: "avec ", funds: "finance ", fundedBy: "financé par ", datesNotStated: "dates non indiquées",
      startUnknown: "début inconnu", endUnknown: "fin inconnue", ended: "fin : ", agreements: "accords : ",
      themes: "thèmes : ", funding: "financement : ", unknownCountry: "pays inconnu"
    },
    ro: {
      language: "Limba", controls: "Căutare și filtre", find: "Găsiți o colectivitate", findHint: "nume sau cheie, de ex. Timiș",
      findButton: "Caută", status: "Stare", country: "Țara", allCountries: "toate țările", theme: "Tema",
      allThemes: "toate temele", year: "Anul", allYears: "toți anii",
      yearHint: "Cu un an ales, parteneriatele fără nicio dată cunoscută sunt ascunse.",
      zoomIn: "mărire", zoomOut: "micșorare", fit: "încadrare", fitTitle: "arată toată rețeaua",
      stageHint: "Trageți pentru a muta, rotița pentru zoom, clic pe un actor pentru parteneriatele sale.",
      panelHint: "Faceți clic pe un actor pentru a vedea parteneriatele sale, cu datele și starea lor.",
      notStated: "nespecificat", actors: "actori", partnershipsLegend: "Parteneriate",
      countryLegend: "Țara (culoare); mărime: parteneriate", noMatch: "Niciun actor nu corespunde cu „{0}”.",
      hidden: "{0} este ascuns de filtrele curente.",
      summary: "{0} din {1} actori, {2} din {3} parteneriate afișate ({4})", allYearsShown: "toți anii", inYear: "în {0}",
      builtWith: "; construit cu: {0}", shown: "{0} parteneriat(e) afișat(e)", of: " din {0}", with: "cu ",
      funds: "finanțează ", fundedBy: "finanțat de ", datesNotStated: "date nespecificate", startUnknown: "început necunoscut",
      endUnknown: "sfârșit necunoscut", ended: "încheiat: ", agreements: "acorduri: ", themes: "teme: ",
      funding: "finanțare: ", unknownCountry: "țară necunoscută"
    }
  };
  function t(key) {
    var text = (WORDS[lang] && WORDS[lang][key]) || WORDS.en[key] || key;
    for (var i = 1; i < arguments.length; i += 1) { text = text.split("{" + (i - 1) + "}").join(String(arguments[i])); }
    return text;
  }
  // A name in the chosen language, else English, else the language it has, else the code.
  function pick(names, fallback) {
    if (!names) { return fallback; }
    if (names[lang]) { return names[lang]; }
    if (names.en) { return names.en; }
    var keys = Object.keys(names).sort();
    return keys.length ? names[keys[0]] : fallback;
  }
  function name(n) { return (n.names && n.names[lang]) || n.display; }
  // A partnership's title in the page's language where the data has it, else its own title.
  function titleOf(e) { return (e.titles && e.titles[lang]) || e.title; }
  function vocab(scheme, code) {
    if (code === null || code === undefined || code === "") { return ""; }
    return pick((data.vocabulary[scheme] || {})[code], String(code).replace(/-/g, " "));
  }
  function statusName(code) { return code === "unknown" ? t("notStated") : vocab("status", code); }
  function countryName(code) {
    if (!code || code === "?") { return t("unknownCountry"); }
    return pick(data.countryNames[code], code);
  }
  function countryText(code) { return code && code !== "?" ? countryName(code) + " (" + code + ")" : countryName(code); }
  function themeName(code) { return pick(data.themeNames && data.themeNames[code], data.themes[code] || code); }
  function reorganizationName(code) { return pick(data.reorganizations && data.reorganizations[code], code); }

  var fold = coopkgPage.fold, el = coopkgPage.el, html = coopkgPage.html;  // common.js

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
    e.tip = el("title", {}, e.el);
    edgeTip(e);
  });
  function edgeTip(e) { e.tip.textContent = titleOf(e) + " (" + styleName(e.style) + ")"; }
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
    text.textContent = name(n);
    var right = ["start", r + 4, 4], left = ["end", -r - 4, 4], below = ["middle", 0, r + 14], above = ["middle", 0, -r - 5];
    if (Math.abs(vx) >= Math.abs(vy) * 0.7) {
      n.sides = vx > 0 ? [right, left, above, below] : [left, right, above, below];
    } else {
      n.sides = vy > 0 ? [below, above, right, left] : [above, below, right, left];
    }
    n.text = text;
    setSide(n, 0);
    if (!n.labelled) { g.classList.add("small-label"); }
    n.tip = el("title", {}, g);
    nodeTip(n);
    g.addEventListener("click", function (event) { event.stopPropagation(); select(n.id); });
    n.el = g;
  });

  function nodeTip(n) {
    var shown = name(n);
    n.tip.textContent = shown + (n.label !== shown ? " (" + n.label + ")" : "") + " \u2014 " + countryText(n.country);
  }

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
    // the actors the filters leave (all of them when none is left)
    var shownNodes = data.nodes.filter(function (n) { return n.visible; });
    if (!shownNodes.length) { shownNodes = data.nodes; }
    var xs = shownNodes.map(function (n) { return n.x; }), ys = shownNodes.map(function (n) { return n.y; });
    var dx = Math.max(Math.max.apply(null, xs) - Math.min.apply(null, xs), 1);
    var dy = Math.max(Math.max.apply(null, ys) - Math.min.apply(null, ys), 1);
    view.k = Math.max(Math.min((box.width - 2 * pad - 200) / dx, (box.height - 2 * pad - 40) / dy, 3), 0.02);
    for (var i = 0; i < 3; i += 1) {
      apply();
      var ext = visibleBox(shownNodes);
      var shrink = Math.min((box.width - 2 * pad) / ext.width, (box.height - 2 * pad) / ext.height);
      if (shrink >= 1) { break; }
      view.k *= Math.max(shrink * 0.97, 0.3);
    }
    fitK = view.k;
    apply();
    ext = visibleBox(shownNodes);
    view.x = box.width / 2 - (ext.x + ext.width / 2);
    view.y = box.height / 2 - (ext.y + ext.height / 2);
    apply();
    declutter();
  }
  // The drawn extent (markers and names, in viewport units) of some actors.
  function visibleBox(nodes) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (n) {
      var b = n.el.getBBox(), x = n.x * view.k, y = n.y * view.k;
      x0 = Math.min(x0, x + b.x); y0 = Math.min(y0, y + b.y);
      x1 = Math.max(x1, x + b.x + b.width); y1 = Math.max(y1, y + b.y + b.height);
    });
    if (x0 === Infinity) { return { x: 0, y: 0, width: 1, height: 1 }; }
    return { x: x0, y: y0, width: Math.max(x1 - x0, 1), height: Math.max(y1 - y0, 1) };
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
  function refresh(refit) {
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
    summary(count, Object.keys(links).length);
    if (selected && !byId[selected].visible) {
      clearSelection();  // a hidden actor cannot stay selected: nothing stays dimmed for it
    } else if (selected) {
      select(selected);  // what is dimmed follows what is shown
    }
    if (refit) { fit(); } else { scheduleDeclutter(); }
  }
  var counts = { actors: 0, partnerships: 0 };
  function summary(actors, partnerships) {
    if (actors !== undefined) { counts.actors = actors; counts.partnerships = partnerships; }
    var when = state.year === null ? t("allYearsShown") : t("inYear", state.year);
    document.getElementById("summary").textContent = t("summary", counts.actors, data.nodes.length, counts.partnerships,
      data.partnerships, when) + (data.filters ? t("builtWith", data.filters) : "");
  }
  var statusBox = document.getElementById("status-filter");
  data.statuses.forEach(function (s) {
    state.statuses[s.code] = true;
    var label = html("label");
    var box = document.createElement("input");
    box.type = "checkbox"; box.checked = true; box.value = s.code; box.id = "status-" + s.code;
    box.addEventListener("change", function () { state.statuses[s.code] = box.checked; refresh(true); });
    label.appendChild(box);
    s.text = document.createTextNode("");
    label.appendChild(s.text);
    statusBox.appendChild(label);
  });
  function labelStatuses() {
    data.statuses.forEach(function (s) { s.text.textContent = " " + statusName(s.code) + " (" + s.count + ")"; });
  }
  var countrySelect = document.getElementById("country-filter");
  function labelCountries() {
    while (countrySelect.options.length > 1) { countrySelect.remove(1); }
    Object.keys(data.countries).sort(function (a, b) { return countryName(a).localeCompare(countryName(b), lang); })
      .forEach(function (code) {
        var option = html("option", countryText(code) + " \u2014 " + data.countryCounts[code] + " " + t("actors"));
        option.value = code; countrySelect.appendChild(option);
      });
    countrySelect.value = state.country;
  }
  countrySelect.addEventListener("change", function () { state.country = countrySelect.value; refresh(true); });
  var themeSelect = document.getElementById("theme-filter");
  function labelThemes() {
    while (themeSelect.options.length > 1) { themeSelect.remove(1); }
    Object.keys(data.themes).sort(function (a, b) { return themeName(a).localeCompare(themeName(b), lang); }).forEach(function (code) {
      var option = html("option", themeName(code));
      option.value = code; themeSelect.appendChild(option);
    });
    themeSelect.value = state.theme;
  }
  themeSelect.addEventListener("change", function () { state.theme = themeSelect.value; refresh(true); });
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
    refresh(true);
  }
  year.addEventListener("input", onYear);
  yearAll.addEventListener("change", onYear);

  // ---- legend ------------------------------------------------------------------
  var legend = document.getElementById("legend");
  // the names of data/edge-styles.yaml, in the page's language
  function styleName(code) { var s = data.styles[code]; return (s.labels && s.labels[lang]) || s.label; }
  function buildLegend() {
  legend.textContent = "";
  legend.appendChild(html("h3", t("partnershipsLegend")));
  Object.keys(data.styles).forEach(function (code) {
    var s = data.styles[code], item = html("div", null, "item");
    var icon = el("svg", { width: 34, height: 10 }); item.appendChild(icon);
    el("line", { x1: 1, y1: 5, x2: 33, y2: 5, stroke: s.color, "stroke-width": s.width,
      "stroke-dasharray": s.dotted ? "2 3" : s.dashed ? "7 4" : "none" }, icon);
    item.appendChild(document.createTextNode(styleName(code))); legend.appendChild(item);
  });
  legend.appendChild(html("h3", t("countryLegend")));
  Object.keys(data.countries).forEach(function (code) {
    var item = html("div", null, "item"), icon = el("svg", { width: 12, height: 12 });
    item.appendChild(icon); el("circle", { cx: 6, cy: 6, r: 5, fill: data.countries[code] }, icon);
    item.appendChild(document.createTextNode(countryText(code))); legend.appendChild(item);
  });
  }

  // ---- search and the node panel -------------------------------------------------
  var names = document.getElementById("actor-names");
  function listNames() {
    names.textContent = "";
    data.nodes.map(name).sort(function (a, b) { return a.localeCompare(b, lang); }).forEach(function (text) {
      var option = document.createElement("option"); option.value = text; names.appendChild(option);
    });
  }
  function allNames(n) {
    var out = [n.display, n.label];
    Object.keys(n.names || {}).forEach(function (k) { out.push(n.names[k]); });
    return out.map(fold);
  }
  function find(query) {
    var q = fold(query);
    if (!q) { return null; }
    var exact = data.nodes.filter(function (n) { return allNames(n).indexOf(q) >= 0 || n.key === q; });
    exact.sort(function (a, b) { return (b.visible ? 1 : 0) - (a.visible ? 1 : 0) || b.degree - a.degree; });
    if (exact.length) { return exact[0]; }
    var partial = data.nodes.filter(function (n) {
      return allNames(n).some(function (text) { return text.indexOf(q) >= 0; }) || n.key.indexOf(q) >= 0;
    });
    partial.sort(function (a, b) { return (b.visible ? 1 : 0) - (a.visible ? 1 : 0) || b.degree - a.degree; });
    return partial.length ? partial[0] : null;
  }
  document.getElementById("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("search").value, message = document.getElementById("search-message");
    data.nodes.forEach(function (n) { n.el.classList.remove("found"); });
    var hit = find(query);
    if (!hit) { message.textContent = query ? t("noMatch", query) : ""; return; }
    if (!hit.visible) { message.textContent = t("hidden", name(hit)); return; }
    message.textContent = "";
    hit.el.classList.add("found");
    select(hit.id);
    zoomTo(hit);
  });
  // Zoom so the actor and its shown partners fill the view (at least 4x the whole
  // network's zoom, so one actor among thousands is told apart), the actor in the middle.
  function zoomTo(hit) {
    var box = svg.getBoundingClientRect(), dx = 0, dy = 0;
    hit.edges.forEach(function (e) {
      if (!e.visible) { return; }
      var other = byId[e.source === hit.id ? e.target : e.source];
      dx = Math.max(dx, Math.abs(other.x - hit.x)); dy = Math.max(dy, Math.abs(other.y - hit.y));
    });
    var k = Math.min((box.width / 2 - 120) / Math.max(dx, 1), (box.height / 2 - 60) / Math.max(dy, 1));
    view.k = Math.min(Math.max(k, 4 * fitK, view.k), 40);
    view.x = box.width / 2 - hit.x * view.k; view.y = box.height / 2 - hit.y * view.k;
    apply();
  }
  function showPanel(id) {
    var n = byId[id];
    panel.textContent = "";
    panel.appendChild(html("h2", name(n)));
    var kind = n.subkind ? vocab(n.kind === "institution" ? "institution-kind" : "collectivity-kind", n.subkind) : n.kind;
    var meta = countryText(n.country) + " \u00b7 " + kind + (n.label !== name(n) ? " \u00b7 " + n.label : "");
    panel.appendChild(html("p", meta, "meta"));
    var visible = n.edges.filter(function (e) { return e.visible; });
    panel.appendChild(html("p", t("shown", visible.length) + (visible.length < n.edges.length ? t("of", n.edges.length) : "")));
    var list = html("ul"); list.id = "partnerships";
    visible.slice().sort(function (a, b) { return (a.start_year || 9999) - (b.start_year || 9999) || titleOf(a).localeCompare(titleOf(b), lang); }).forEach(function (e) {
      var other = byId[e.source === id ? e.target : e.source];
      var funds = e.relation === "funds";
      list.appendChild(coopkgPage.partnershipItem({
        link: e.link, title: titleOf(e) || e.link_key, lead: funds ? (e.funder === id ? t("funds") : t("fundedBy")) : t("with"),
        partners: [{ text: name(other) + " (" + countryName(other.country) + ")", select: function () { select(other.id); } }],
        status: statusName(e.status), color: data.styles[e.style].color, dates: coopkgPage.dates(e, t),
        ended: ((e.end_reason ? t("ended") + vocab("end-reason", e.end_reason) : "") +
          (e.reorganization ? " (" + reorganizationName(e.reorganization) + ")" : "")).trim(),
        details: [e.kinds.length ? t("agreements") + e.kinds.map(function (k) { return vocab("agreement-kind", k); }).join(", ") : "",
          e.themes.length ? t("themes") + e.themes.map(themeName).join(", ") : "", e.funding ? t("funding") + e.funding : ""]
      }));
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
  function clearSelection() {
    if (selected && byId[selected]) { byId[selected].el.classList.remove("selected"); }
    selected = null;
    data.nodes.forEach(function (n) { n.el.classList.remove("dim", "selected"); });
    data.edges.forEach(function (e) { e.el.classList.remove("dim"); });
    panel.textContent = "";
    panel.appendChild(html("p", t("panelHint"), "hint"));
  }
  svg.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest(".node")) { return; }
    if (justDragged) { justDragged = false; return; }
    clearSelection();
  });

  // ---- language ---------------------------------------------------------------------
  function translate() {
    document.documentElement.lang = lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n]"), function (node) { node.textContent = t(node.getAttribute("data-i18n")); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-placeholder]"), function (node) { node.placeholder = t(node.getAttribute("data-i18n-placeholder")); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-title]"), function (node) { node.title = t(node.getAttribute("data-i18n-title")); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-i18n-aria]"), function (node) { node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria"))); });
    data.nodes.forEach(function (n) { n.text.textContent = name(n); nodeTip(n); });
    data.edges.forEach(edgeTip);
    labelStatuses(); labelCountries(); labelThemes(); buildLegend(); listNames(); summary();
    if (selected) { showPanel(selected); } else { clearSelection(); }
    scheduleDeclutter();
  }
  var langSelect = document.getElementById("lang");
  langSelect.value = lang;
  langSelect.addEventListener("change", function () { lang = langSelect.value; translate(); });

  translate();
  refresh();
  fit();
  window.addEventListener("resize", function () { fit(); });
  window.coopkgNetwork = {
    nodes: data.nodes.length, edges: data.edges.length, select: select,
    view: function () { return { x: view.x, y: view.y, k: view.k, fitK: fitK }; }
  };
}());
