// sotegraph network view: reads the inlined graph data, draws it with cytoscape.js,
// and offers search, filters, a legend and a details panel. Fetches nothing.
(function () {
  "use strict";
  var payload = JSON.parse(document.getElementById("graph-data").textContent);
  var COLOURS = {
    project: "#2563eb", organisation: "#ea580c", consortium: "#16a34a",
    network: "#9333ea", region: "#0891b2", theme: "#ca8a04", other: "#6b7280"
  };
  var LABELS = {
    project: "hanke / project", organisation: "organisaatio / organisation",
    consortium: "konsortio / consortium", network: "verkosto / network",
    region: "alue / region", theme: "teema / theme", other: "muu / other"
  };
  function colour(type) { return COLOURS[type] || COLOURS.other; }
  function norm(text) {
    return String(text || "").toLocaleLowerCase("fi").normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function asList(value) { return Array.isArray(value) ? value : (value === undefined || value === null || value === "" ? [] : [value]); }

  var maxDegree = 1;
  payload.nodes.forEach(function (n) { maxDegree = Math.max(maxDegree, n.data.degree || 0); });
  payload.nodes.forEach(function (n) {
    n.data.colour = colour(n.data.type);
    n.data.size = 14 + 36 * Math.sqrt((n.data.degree || 0) / maxDegree);
  });
  var large = payload.nodes.length > 1500;
  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: { nodes: payload.nodes, edges: payload.edges },
    wheelSensitivity: 0.3,
    maxZoom: 3,
    style: [
      { selector: "node", style: {
          "background-color": "data(colour)", "width": "data(size)", "height": "data(size)",
          "label": large ? "" : "data(label)", "font-size": 9, "text-wrap": "ellipsis",
          "text-max-width": 120, "text-valign": "bottom", "color": "#333" } },
      { selector: "edge", style: { "width": "mapData(weight, 0, 5, 1, 6)", "line-color": "#c7cbd1", "opacity": 0.8 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#111", "label": "data(label)" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: ".hidden", style: { "display": "none" } }
    ],
    layout: large ? { name: "concentric", concentric: function (n) { return n.degree(); }, animate: false }
                  : { name: "cose", animate: false, randomize: false, nodeRepulsion: 8000, idealEdgeLength: 80 }
  });

  // filters --------------------------------------------------------------------------
  function fill(id, values) {
    var select = document.getElementById(id);
    Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "fi"); }).forEach(function (v) {
      var opt = document.createElement("option");
      opt.value = v; opt.textContent = v + " (" + values[v] + ")";
      select.appendChild(opt);
    });
    select.addEventListener("change", applyFilters);
  }
  var seen = { type: {}, region: {}, theme: {}, period: {} };
  payload.nodes.forEach(function (n) {
    var d = n.data;
    seen.type[d.type] = (seen.type[d.type] || 0) + 1;
    asList(d.region).forEach(function (r) { seen.region[r] = (seen.region[r] || 0) + 1; });
    asList(d.theme).forEach(function (t) { seen.theme[t] = (seen.theme[t] || 0) + 1; });
    years(d).forEach(function (y) { seen.period[y] = (seen.period[y] || 0) + 1; });
  });
  function years(d) {
    var m = String(d.period || "").match(/^(\d{4})(?:-(\d{4}))?$/);
    if (!m) { return []; }
    var out = [], a = +m[1], b = m[2] ? +m[2] : a;
    for (var y = a; y <= b && out.length < 40; y++) { out.push(String(y)); }
    return out;
  }
  fill("filter-type", seen.type);
  fill("filter-region", seen.region);
  fill("filter-theme", seen.theme);
  fill("filter-period", seen.period);

  function applyFilters() {
    var type = document.getElementById("filter-type").value;
    var region = document.getElementById("filter-region").value;
    var theme = document.getElementById("filter-theme").value;
    var period = document.getElementById("filter-period").value;
    var shown = 0;
    cy.batch(function () {
      cy.nodes().forEach(function (n) {
        var d = n.data();
        var ok = (!type || d.type === type)
          && (!region || asList(d.region).indexOf(region) >= 0)
          && (!theme || asList(d.theme).indexOf(theme) >= 0)
          && (!period || years(d).indexOf(period) >= 0);
        n.toggleClass("hidden", !ok);
        if (ok) { shown++; }
      });
    });
    setStatus(shown + " / " + cy.nodes().length + " solmua / nodes");
    return shown;
  }
  function setStatus(text) { document.getElementById("status").textContent = text; }

  // legend ---------------------------------------------------------------------------
  var legend = document.getElementById("legend");
  Object.keys(seen.type).sort().forEach(function (t) {
    var row = document.createElement("div");
    row.className = "legend-item";
    var sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = colour(t);
    var label = document.createElement("span");
    label.textContent = (LABELS[t] || t) + " (" + seen.type[t] + ")";
    row.appendChild(sw); row.appendChild(label); legend.appendChild(row);
  });
  var note = document.createElement("div");
  note.textContent = "koko = yhteyksien määrä / size = degree";
  note.style.fontSize = "12px"; note.style.color = "#666";
  legend.appendChild(note);

  // details --------------------------------------------------------------------------
  var FIELDS = [
    ["type", "tyyppi"], ["code", "hankekoodi"], ["business_id", "Y-tunnus"],
    ["organisation_type", "organisaatiotyyppi"], ["lead_label", "hallinnoija"],
    ["fund", "rahasto"], ["period", "kausi"], ["start", "alku"], ["end", "loppu"],
    ["status", "tila"], ["funding", "myönnetty EU+valtio €"], ["projects", "hankkeita"],
    ["region", "maakunta"], ["theme", "teemat"], ["group", "konsortio / verkosto"],
    ["degree", "yhteyksiä"], ["betweenness", "välillisyys"], ["community", "yhteisö"],
    ["iri", "IRI"]
  ];
  function show(node) {
    var d = node.data();
    var box = document.getElementById("details");
    box.innerHTML = "";
    var h = document.createElement("h3");
    h.textContent = d.label; h.style.margin = "4px 0";
    box.appendChild(h);
    var dl = document.createElement("dl");
    FIELDS.forEach(function (f) {
      var v = d[f[0]];
      if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) { return; }
      var dt = document.createElement("dt"); dt.textContent = f[1];
      var dd = document.createElement("dd");
      if (typeof v === "number" && f[0] === "funding") { v = Math.round(v).toLocaleString("fi"); }
      else if (typeof v === "number" && f[0] === "betweenness") { v = v.toFixed(3); }
      dd.textContent = Array.isArray(v) ? v.join(", ") : String(v);
      dl.appendChild(dt); dl.appendChild(dd);
    });
    box.appendChild(dl);
    var docs = asList(d.documents);
    var h4 = document.createElement("h4");
    h4.textContent = "Lähteet / Source documents (" + docs.length + ")";
    h4.style.margin = "8px 0 2px";
    box.appendChild(h4);
    var ul = document.createElement("ul");
    docs.forEach(function (doc) { var li = document.createElement("li"); li.textContent = doc; ul.appendChild(li); });
    box.appendChild(ul);
    var nb = node.neighborhood("node");
    var h5 = document.createElement("h4");
    h5.textContent = "Naapurit / Neighbours (" + nb.length + ")";
    h5.style.margin = "8px 0 2px";
    box.appendChild(h5);
    var ul2 = document.createElement("ul");
    nb.sort(function (a, b) { return String(a.data("label")).localeCompare(String(b.data("label")), "fi"); })
      .slice(0, 50).forEach(function (m) {
        var li = document.createElement("li"); li.textContent = m.data("label"); ul2.appendChild(li);
      });
    box.appendChild(ul2);
  }
  function select(node) {
    cy.elements().unselect().removeClass("faded");
    node.select();
    var keep = node.closedNeighborhood();
    cy.elements().not(keep).addClass("faded");
    cy.fit(keep, 60);  // zoom to the node and its neighbours (maxZoom keeps a lone node sane)
    show(node);
  }
  cy.on("tap", "node", function (evt) { select(evt.target); });
  cy.on("tap", function (evt) {
    if (evt.target === cy) { cy.elements().unselect().removeClass("faded"); }
  });

  // search ---------------------------------------------------------------------------
  function search(query) {
    var q = norm(query).trim();
    if (!q) { cy.elements().unselect().removeClass("faded"); return null; }
    var exact = null, partial = null;
    cy.nodes().forEach(function (n) {
      if (n.hasClass("hidden")) { return; }
      var label = norm(n.data("label"));
      if (label === q && !exact) { exact = n; }
      else if (label.indexOf(q) >= 0 && (!partial || label.length < norm(partial.data("label")).length)) { partial = n; }
    });
    var hit = exact || partial;
    if (hit) { select(hit); setStatus("löytyi / found: " + hit.data("label")); }
    else { setStatus("ei osumia / no match: " + query); }
    return hit ? hit.id() : null;
  }
  var input = document.getElementById("search");
  input.addEventListener("change", function () { search(input.value); });
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") { search(input.value); } });

  applyFilters();
  window.sotegraphView = { cy: cy, search: search, applyFilters: applyFilters, payload: payload };
})();
