// coopkg pages' shared helpers (the network page and the map page inline this before their own script).
var coopkgPage = (function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  // Search ignores case and accents: "timis" finds Timiș.
  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  // An SVG element with attributes, appended to parent when given.
  function el(name, attrs, parent) {
    var node = document.createElementNS(SVGNS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  // An HTML element with its text (never parsed as HTML: names come from data) and class.
  function html(name, text, cls) {
    var node = document.createElement(name);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  // One partnership in a panel, the same on both pages. ``p`` holds what to show, already
  // in the page's language: link, title, lead ("with "), partners [{text, select}], status,
  // color (of its style), dates, ended ("ended: expiry (reform)"), details [text...].
  function partnershipItem(p) {
    var item = html("li");
    item.setAttribute("data-link", p.link);
    item.appendChild(html("div", p.title, "title"));
    var line = html("div");
    line.appendChild(document.createTextNode(p.lead));
    p.partners.forEach(function (partner, i) {
      if (i) { line.appendChild(document.createTextNode("; ")); }
      var span = html("span", partner.text, partner.select ? "partner" : "partner unplaced");
      if (partner.select) { span.addEventListener("click", partner.select); }
      line.appendChild(span);
    });
    item.appendChild(line);
    var status = html("div", null, "status"), badge = html("span", p.status, "badge");
    badge.style.background = p.color;
    status.appendChild(badge);
    status.appendChild(document.createTextNode(" " + p.dates + (p.ended ? " \u00b7 " + p.ended : "")));
    item.appendChild(status);
    p.details.forEach(function (text) { if (text) { item.appendChild(html("div", text, "hint")); } });
    return item;
  }
  // "1993 – 2016", "start unknown – 2016", "dates not stated": words from the page's t().
  function dates(p, t) {
    if (!p.start && !p.end) { return t("datesNotStated"); }
    return (p.start || t("startUnknown")) + " \u2013 " + (p.end || (p.status === "ended" ? t("endUnknown") : ""));
  }
  return { SVGNS: SVGNS, fold: fold, el: el, html: html, partnershipItem: partnershipItem, dates: dates };
})();
