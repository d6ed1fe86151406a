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
  return { SVGNS: SVGNS, fold: fold, el: el, html: html };
})();
