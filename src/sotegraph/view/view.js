// sotegraph network view: reads the inlined graph data (sotegraph.view.view_payload), draws it
// with sigma.js (WebGL) over a graphology graph, and offers search, filters, a legend and a
// details panel. Positions come with the data (laid out in Python), so the first frame is the
// finished picture. Fetches nothing.
(function () {
  "use strict";
  var P = JSON.parse(document.getElementById("graph-data").textContent);
  var N = P.id.length;
  var COLOURS = {
    project: "#2563eb", organisation: "#ea580c", consortium: "#16a34a",
    network: "#9333ea", region: "#0891b2", theme: "#ca8a04", other: "#6b7280"
  };
  var TYPE_NAMES = {
    project: "hanke / project", organisation: "organisaatio / organisation",
    consortium: "konsortio / consortium", network: "verkosto / network",
    region: "alue / region", theme: "teema / theme", other: "muu / other"
  };
  var FIELD_NAMES = {
    code: "hankekoodi / code", business_id: "Y-tunnus / business id",
    organisation_type: "organisaatiotyyppi / type", lead_label: "hallinnoija / lead",
    fund: "rahasto / fund", programme_period: "ohjelmakausi / programme period",
    period: "kausi / period", start: "alku / start", end: "loppu / end", status: "tila / status",
    funding: "myönnetty EU+valtio € / granted EU+state €",
    planned_public_funding: "suunniteltu julkinen € / planned public €",
    projects: "hankkeita / projects", region: "maakunta / region",
    county: "hyvinvointialue / wellbeing county", themes: "teemat / themes", theme: "teemat / themes",
    sote_relevance: "sote-relevanssi / sote relevance", group: "konsortio, verkosto / group",
    degree: "yhteyksiä / degree", betweenness: "välillisyys / betweenness",
    eigenvector: "ominaisvektori / eigenvector", community: "yhteisö / community"
  };
  var FIELD_ORDER = ["code", "business_id", "organisation_type", "lead_label", "fund",
    "programme_period", "period", "start", "end", "status", "sote_relevance", "funding",
    "planned_public_funding", "projects", "region", "county", "themes", "theme", "group",
    "betweenness", "community"];
  // filters: [attribute (first present wins), label]; a filter whose attribute is absent hides
  var FACETS = [
    [["type"], "Tyyppi / Type"],
    [["region"], "Maakunta / Region"],
    [["county"], "Hyvinvointialue / County"],
    [["themes", "theme"], "Teema / Theme"],
    [["period"], "Vuosi / Year"],
    [["programme_period"], "Ohjelmakausi / Programme"],
    [["sote_relevance"], "Sote"]
  ];
  var RELEVANCE = [
    [/(^|[#/_.])(sote|relevancesote|soterelevancesote)$/i, "sote"],
    [/borderline$/i, "rajatapaus / borderline"],
    [/(^|[#/_.])(not|relevancenot|soterelevancenot)$/i, "ei sote / not sote"]
  ];

  function norm(text) {
    return String(text || "").toLocaleLowerCase("fi").normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function iri(i) { return P.prefix + P.id[i]; }
  function typeOf(i) { return P.types[P.type[i]]; }
  function colour(type) { return COLOURS[type] || COLOURS.other; }
  function col(name) { return P.cols[name]; }
  // the values of column `name` for node i, always a list of texts or numbers
  function values(name, i) {
    var c = col(name);
    if (!c) { return []; }
    if (c.kind === "number" && c.at) {
      if (!c.index) { c.index = {}; c.at.forEach(function (n, k) { c.index[n] = c.of[k]; }); }
      return c.index[i] === undefined ? [] : [c.index[i]];
    }
    var v = c.of[i];
    if (c.kind === "number") { return v === null || v === undefined ? [] : [v]; }
    if (!v) { return []; }
    if (typeof v === "number") { return [c.values[v - 1]]; }
    return v.map(function (k) { return c.values[k - 1]; });
  }
  function shown(name, value) {
    if (name === "sote_relevance") {
      for (var k = 0; k < RELEVANCE.length; k++) { if (RELEVANCE[k][0].test(String(value))) { return RELEVANCE[k][1]; } }
    }
    return String(value);
  }

  // the graph --------------------------------------------------------------------------
  var label = P.label;
  var canvasLabel = label.slice();
  P.short.forEach(function (pair) { canvasLabel[pair[0]] = pair[1]; });
  var maxDegree = 1;
  for (var i = 0; i < N; i++) { if (P.degree[i] > maxDegree) { maxDegree = P.degree[i]; } }
  var large = N > 5000;
  var minSize = large ? 1.5 : 4, spanSize = large ? 9 : 14;
  var graph = new graphology.Graph({ type: "undirected", multi: true, allowSelfLoops: true });
  for (i = 0; i < N; i++) {
    graph.addNode(String(i), {
      x: P.xy[2 * i], y: -P.xy[2 * i + 1],
      size: minSize + spanSize * Math.sqrt(P.degree[i] / maxDegree),
      color: colour(typeOf(i)), label: canvasLabel[i]
    });
  }
  var edgeSize = large ? 0.5 : 1;
  for (var e = 0; e < P.edges.length; e += 2) {
    var w = P.weight ? P.weight[e / 2] : 1;
    graph.addEdge(String(P.edges[e]), String(P.edges[e + 1]), {
      size: P.weight ? Math.min(6, edgeSize + Math.log(1 + Math.max(0, w))) : edgeSize
    });
  }

  // state: hidden by filters, the selected node and its neighbours
  var hidden = new Uint8Array(N);
  var selected = -1;
  var near = null;   // Set of node keys around the selection
  var hovered = null;

  // names drawn over nodes stay readable on a light box
  var LABEL_BOX = { labelBackgroundColor: "rgba(255, 255, 255, 0.8)", labelBackgroundPadding: 2 };
  function nodeReducer(key, data) {
    var i = +key;
    if (hidden[i]) { return { visibility: "hidden", label: null }; }
    if (selected >= 0) {
      if (i === selected) {
        return { label: label[i], labelVisibility: "visible", zIndex: 3, size: Math.max(8, data.size * 1.4),
                 labelBackgroundColor: "#fff7d6", labelBackgroundPadding: 3,
                 labelPosition: "above", labelSize: 15 };
      }
      if (!near.has(key)) { return { color: "#e5e7eb", label: null, zIndex: 0 }; }
      // around a hub the names would pile up: they show on hover and in the details panel
      if (key === hovered) { return { zIndex: 2, label: label[i] }; }
      return { zIndex: 2, label: near.size > 40 ? null : canvasLabel[i],
               labelBackgroundColor: LABEL_BOX.labelBackgroundColor, labelBackgroundPadding: 2 };
    }
    if (key === hovered) { return { label: label[i] }; }
    return LABEL_BOX;
  }
  function edgeReducer(key, data) {
    if (selected < 0) { return {}; }
    var ends = graph.extremities(key);
    if (ends[0] === String(selected) || ends[1] === String(selected)) {
      return { color: "#6b7280", size: Math.max(1, data.size * 1.5), zIndex: 2 };
    }
    return { color: "#f0f1f3" };
  }

  var container = document.getElementById("graph");
  var renderer = new Sigma(graph, container, {
    nodeReducer: nodeReducer,
    edgeReducer: edgeReducer,
    settings: {
      itemSizesReference: "screen",
      zoomToSizeRatioFunction: function (ratio) { return Math.sqrt(ratio); },
      labelDensity: 1,
      labelGridCellSize: large ? 220 : 120,
      labelRenderedSizeThreshold: large ? 5 : 4,
      hideEdgesOnMove: large,
      minCameraRatio: 0.002,
      maxCameraRatio: 4,
      stagePadding: 20
    }
  });

  // the renderer's own count of what it drew: the nodes in the ranges it hands to its node
  // program, less those its display data marks hidden (they stay in the program, undrawn)
  var view = {
    renderer: renderer, graph: graph, payload: P,
    frames: 0, firstDraw: null, firstDrawNodes: 0
  };
  function countRendered() {
    var ranges = renderer.depthRanges && renderer.depthRanges.nodes;
    var total = 0;
    if (ranges) {
      Object.keys(ranges).forEach(function (depth) {
        ranges[depth].forEach(function (r) { total += r.count; });
      });
    }
    graph.forEachNode(function (key) {
      var d = renderer.getNodeDisplayData(key);
      if (d && d.visibility === "hidden") { total -= 1; }
    });
    return total;
  }
  view.renderedNodes = countRendered;
  renderer.on("afterRender", function () {
    view.frames += 1;
    if (view.firstDraw === null) {
      var drawn = countRendered();
      if (drawn > 0) {
        view.firstDraw = performance.now();  // milliseconds since navigation start
        view.firstDrawNodes = drawn;
      }
    }
  });

  // filters ----------------------------------------------------------------------------
  function years(text) {
    var m = String(text).match(/^(\d{4})(?:\s*[-–]\s*(\d{4}))?$/);
    if (!m) { return null; }
    var out = [], a = +m[1], b = m[2] ? +m[2] : a;
    for (var y = a; y <= b && out.length < 60; y++) { out.push(String(y)); }
    return out;
  }
  var facets = [];  // {name, select, keysOf(i)}
  var filtersBox = document.getElementById("filters");
  FACETS.forEach(function (f) {
    var name = null;
    if (f[0][0] === "type") { name = "type"; }
    else { f[0].forEach(function (k) { if (!name && col(k) && col(k).kind === "text") { name = k; } }); }
    if (!name) { return; }
    var keysOf;
    if (name === "type") { keysOf = function (i) { return [typeOf(i)]; }; }
    else if (name === "period") {
      var allYears = col(name).values.every(function (v) { return years(v) !== null; });
      keysOf = allYears
        ? function (i) { var out = []; values(name, i).forEach(function (v) { out = out.concat(years(v)); }); return out; }
        : function (i) { return values(name, i).map(String); };
    } else { keysOf = function (i) { return values(name, i).map(String); }; }
    var counts = {};
    for (var i = 0; i < N; i++) {
      keysOf(i).forEach(function (k) { counts[k] = (counts[k] || 0) + 1; });
    }
    var keys = Object.keys(counts);
    if (!keys.length) { return; }
    var lab = document.createElement("label");
    lab.textContent = f[1] + " ";
    var select = document.createElement("select");
    select.id = "filter-" + (name === "theme" ? "themes" : name);
    select.dataset.attribute = name;
    var all = document.createElement("option");
    all.value = ""; all.textContent = "kaikki / all";
    select.appendChild(all);
    keys.sort(function (a, b) { return a.localeCompare(b, "fi"); }).forEach(function (k) {
      var opt = document.createElement("option");
      opt.value = k;
      opt.textContent = (name === "type" ? (TYPE_NAMES[k] || k) : shown(name, k)) + " (" + counts[k] + ")";
      select.appendChild(opt);
    });
    select.addEventListener("change", applyFilters);
    lab.appendChild(select);
    filtersBox.appendChild(lab);
    facets.push({ name: name, select: select, keysOf: keysOf });
  });

  function setStatus(text) { document.getElementById("status").textContent = text; }
  function applyFilters() {
    var active = facets.filter(function (f) { return f.select.value !== ""; });
    var count = 0;
    for (var i = 0; i < N; i++) {
      var ok = true;
      for (var k = 0; k < active.length && ok; k++) {
        ok = active[k].keysOf(i).indexOf(active[k].select.value) >= 0;
      }
      hidden[i] = ok ? 0 : 1;
      if (ok) { count++; }
    }
    if (selected >= 0 && hidden[selected]) { unselect(); }
    renderer.refresh();
    setStatus(count.toLocaleString("fi") + " / " + N.toLocaleString("fi") + " solmua / nodes");
    return count;
  }
  document.getElementById("reset").addEventListener("click", function () {
    facets.forEach(function (f) { f.select.value = ""; });
    unselect();
    applyFilters();
    renderer.getCamera().reset({ duration: 300 });
  });

  // legend -----------------------------------------------------------------------------
  var legend = document.getElementById("legend");
  var typeCounts = {};
  for (i = 0; i < N; i++) { typeCounts[typeOf(i)] = (typeCounts[typeOf(i)] || 0) + 1; }
  Object.keys(typeCounts).sort().forEach(function (t) {
    var row = document.createElement("div");
    row.className = "legend-item";
    var sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = colour(t);
    var text = document.createElement("span");
    text.textContent = (TYPE_NAMES[t] || t) + " (" + typeCounts[t].toLocaleString("fi") + ")";
    row.appendChild(sw); row.appendChild(text); legend.appendChild(row);
  });
  var note = document.createElement("div");
  note.className = "note";
  note.textContent = "koko = yhteyksien määrä; nimet näkyvät lähennettäessä ja osoittimen alla / " +
    "size = degree; names show on zoom and hover (a shortened name ends in …)";
  legend.appendChild(note);

  // details ----------------------------------------------------------------------------
  function formatValue(name, v) {
    if (typeof v === "number") {
      if (/funding|_eur$/.test(name)) { return Math.round(v).toLocaleString("fi") + " €"; }
      if (name === "betweenness" || name === "eigenvector") { return v.toFixed(4); }
      return v.toLocaleString("fi");
    }
    return shown(name, v);
  }
  function element(tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined) { el.textContent = text; }
    if (cls) { el.className = cls; }
    return el;
  }
  function show(i) {
    var box = document.getElementById("details");
    box.textContent = "";
    box.appendChild(element("h3", label[i]));
    var dl = element("dl");
    function row(name, text) { dl.appendChild(element("dt", name)); dl.appendChild(element("dd", text)); }
    row("tyyppi / type", TYPE_NAMES[typeOf(i)] || typeOf(i));
    var names = FIELD_ORDER.concat(Object.keys(P.cols).filter(function (k) {
      return FIELD_ORDER.indexOf(k) < 0 && k !== "documents";
    }).sort());
    names.forEach(function (name) {
      var vs = values(name, i);
      if (!vs.length) { return; }
      row(FIELD_NAMES[name] || name, vs.map(function (v) { return formatValue(name, v); }).join(", "));
    });
    row("yhteyksiä / degree", String(P.degree[i]));
    row("IRI", iri(i));
    box.appendChild(dl);
    var docs = values("documents", i);
    box.appendChild(element("h4", "Lähteet / Source documents (" + docs.length + ")"));
    var ul = element("ul");
    docs.forEach(function (d) { ul.appendChild(element("li", d)); });
    box.appendChild(ul);
    var nb = graph.neighbors(String(i)).map(Number);
    box.appendChild(element("h4", "Naapurit / Neighbours (" + nb.length + ")"));
    var ul2 = element("ul");
    nb.sort(function (a, b) { return label[a].localeCompare(label[b], "fi"); }).slice(0, 100).forEach(function (m) {
      var li = element("li", label[m], "link");
      li.addEventListener("click", function () { select(m); });
      ul2.appendChild(li);
    });
    box.appendChild(ul2);
  }
  function unselect() {
    selected = -1; near = null;
    renderer.refresh();
  }
  function select(i) {
    selected = i;
    near = new Set(graph.neighbors(String(i)));
    near.add(String(i));
    renderer.refresh();
    show(i);
    // centre on the node and zoom so that it and its neighbours fill the view
    var camera = renderer.getCamera();
    var me = renderer.getNodeDisplayData(String(i));
    var span = 0;
    near.forEach(function (k) {
      var d = renderer.getNodeDisplayData(k);
      if (d) { span = Math.max(span, Math.abs(d.x - me.x), Math.abs(d.y - me.y)); }
    });
    var ratio = Math.min(1, Math.max(large ? 0.004 : 0.05, span * 4));
    camera.animate({ x: me.x, y: me.y, ratio: ratio }, { duration: 350 });
    setStatus("valittu / selected: " + label[i]);
  }
  renderer.on("clickNode", function (ev) { select(+ev.node); });
  renderer.on("clickStage", function () { if (selected >= 0) { unselect(); } });
  renderer.on("enterNode", function (ev) { hovered = ev.node; renderer.refresh({ partialGraph: { nodes: [ev.node] } }); });
  renderer.on("leaveNode", function (ev) { hovered = null; renderer.refresh({ partialGraph: { nodes: [ev.node] } }); });

  // search -----------------------------------------------------------------------------
  var normLabels = label.map(norm);
  function matches(query, limit) {
    var q = norm(query).trim();
    if (!q) { return []; }
    var exact = [], start = [], inside = [];
    for (var i = 0; i < N; i++) {
      if (hidden[i]) { continue; }
      var l = normLabels[i];
      if (l === q) { exact.push(i); }
      else if (l.lastIndexOf(q, 0) === 0) { start.push(i); }
      else if (l.indexOf(q) >= 0) { inside.push(i); }
    }
    function byLength(a, b) { return normLabels[a].length - normLabels[b].length || a - b; }
    start.sort(byLength); inside.sort(byLength);
    return exact.concat(start, inside).slice(0, limit || 12);
  }
  // select the best match of `query`; returns its IRI (null when nothing matches)
  function search(query) {
    var hits = matches(query, 1);
    clearHits();
    if (!hits.length) {
      if (String(query).trim()) { setStatus("ei osumia / no match: " + query); } else { unselect(); }
      return null;
    }
    select(hits[0]);
    return iri(hits[0]);
  }
  var input = document.getElementById("search");
  var hitList = document.getElementById("hits");
  var active = -1;
  function clearHits() { hitList.textContent = ""; active = -1; }
  function listHits() {
    clearHits();
    matches(input.value, 12).forEach(function (i) {
      var li = element("li");
      li.setAttribute("role", "option");
      li.dataset.node = String(i);
      li.appendChild(document.createTextNode(label[i] + " "));
      li.appendChild(element("small", "(" + (TYPE_NAMES[typeOf(i)] || typeOf(i)) + ")"));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); select(i); clearHits(); });
      hitList.appendChild(li);
    });
  }
  function markActive(step) {
    var items = hitList.children;
    if (!items.length) { return; }
    if (active >= 0) { items[active].classList.remove("active"); }
    active = (active + step + items.length) % items.length;
    items[active].classList.add("active");
  }
  input.addEventListener("input", listHits);
  input.addEventListener("blur", function () { setTimeout(clearHits, 150); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") { markActive(1); ev.preventDefault(); }
    else if (ev.key === "ArrowUp") { markActive(-1); ev.preventDefault(); }
    else if (ev.key === "Escape") { clearHits(); }
    else if (ev.key === "Enter") {
      ev.preventDefault();
      if (active >= 0 && hitList.children[active]) {
        select(+hitList.children[active].dataset.node); clearHits();
      } else { search(input.value); }
    }
  });

  applyFilters();
  view.search = search;
  view.matches = function (q, n) { return matches(q, n).map(iri); };
  view.select = function (id) {
    for (var k = 0; k < N; k++) { if (iri(k) === id) { select(k); return true; } }
    return false;
  };
  view.selected = function () { return selected >= 0 ? iri(selected) : null; };
  view.selectedLabel = function () { return selected >= 0 ? label[selected] : null; };
  view.shownCount = function () { var c = 0; for (var k = 0; k < N; k++) { c += hidden[k] ? 0 : 1; } return c; };
  view.applyFilters = applyFilters;
  view.labels = label;
  window.sotegraphView = view;
})();
