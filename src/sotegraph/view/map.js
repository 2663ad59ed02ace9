/* sotegraph map: a choropleth of projects and funding by area, drawn with d3-geo (SVG).
   Reads the JSON block #map-data written by sotegraph.maps.map_payload; fetches nothing. */
(function () {
  "use strict";
  const payload = JSON.parse(document.getElementById("map-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const COLOURS = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];
  const ZERO = "#f2f2f2";
  const BASIS_LABEL = {
    stated: "ilmoitettu lähteessä / stated in the record",
    authority: "päätelty: vastuuviranomainen / inferred: responsible authority",
    implementer: "päätelty: toteuttajan kotipaikka / inferred: implementer's seat",
  };
  const OWN_AREA = {
    helsinki: "Helsinki: ei hyvinvointialue, järjestää itse sote-palvelut / not a wellbeing county, organises its own services",
    aland: "Ahvenanmaa: uudistuksen ulkopuolella / Åland: outside the reform",
  };
  const state = Object.assign({}, payload.state);
  const el = (id) => document.getElementById(id);

  function text(tag, value, attrs) {
    const node = document.createElement(tag);
    node.textContent = value;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  function fmt(value, measure) {
    if (measure === "projects") return Math.round(value).toLocaleString("fi-FI");
    if (value >= 1e6) return (value / 1e6).toLocaleString("fi-FI", { maximumFractionDigits: 1 }) + " M€";
    return Math.round(value).toLocaleString("fi-FI") + " €";
  }

  function keep(row) {
    // row: [code, year, period, basis, relevance, projects, granted, realised]
    if (state.period && row[2] !== state.period) return false;
    if (state.year !== "" && state.year !== null && row[1] !== Number(state.year)) return false;
    if (state.soteOnly && row[4] !== "sote") return false;
    if (!state.inferred && row[3] !== "stated") return false;
    return true;
  }

  const INDEX = { projects: 5, granted: 6, realised: 7 };

  function values() {
    const level = payload.levels[state.level];
    const out = {};
    const basis = {};
    const i = INDEX[state.measure];
    for (const row of level.rows) {
      if (!keep(row)) continue;
      out[row[0]] = (out[row[0]] || 0) + row[i];
      basis[row[3]] = (basis[row[3]] || 0) + row[i];
    }
    let unplaced = 0;
    for (const row of level.unplaced) {
      if (keep(Object.assign([], row, { 3: "stated" }))) unplaced += row[i];
    }
    return { byCode: out, byBasis: basis, unplaced: unplaced };
  }

  function thresholds(vals) {
    const sorted = vals.filter((v) => v > 0).sort(d3.ascending);
    if (!sorted.length) return [];
    const cuts = [];
    for (let k = 1; k < COLOURS.length; k++) {
      const q = d3.quantileSorted(sorted, k / COLOURS.length);
      if (q !== undefined && (!cuts.length || q > cuts[cuts.length - 1]) && q < sorted[sorted.length - 1]) cuts.push(q);
    }
    return cuts;
  }

  function colour(value, cuts) {
    if (!value) return ZERO;
    const k = d3.bisectRight(cuts, value);
    const step = cuts.length ? Math.round((k * (COLOURS.length - 1)) / cuts.length) : COLOURS.length - 1;
    return COLOURS[step];
  }

  function draw() {
    const holder = el("map");
    const old = holder.querySelector("svg");
    if (old) old.remove();
    const width = Math.max(holder.clientWidth, 320);
    const height = Math.max(holder.clientHeight, 360);
    const geometry = payload.levels[state.level].geometry;
    const projection = d3.geoTransverseMercator().rotate([-27, 0]).fitExtent([[12, 12], [width - 12, height - 12]], geometry);
    const path = d3.geoPath(projection);
    const v = values();
    const cuts = thresholds(Object.values(v.byCode));
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("role", "img");
    const labels = [];
    for (const f of geometry.features) {
      const code = f.properties.code;
      const value = v.byCode[code] || 0;
      const p = document.createElementNS(SVG, "path");
      p.setAttribute("d", path(f));
      p.setAttribute("class", "area" + (f.properties.kind && f.properties.kind !== "county" ? " own" : ""));
      p.setAttribute("data-code", code);
      p.setAttribute("data-value", String(value));
      p.setAttribute("fill", colour(value, cuts));
      const title = document.createElementNS(SVG, "title");
      const own = OWN_AREA[f.properties.kind] ? " — " + OWN_AREA[f.properties.kind] : "";
      title.textContent = `${f.properties.name}${own}: ${fmt(value, state.measure)}`;
      p.appendChild(title);
      p.addEventListener("mousemove", (ev) => tooltip(ev, title.textContent));
      p.addEventListener("mouseleave", () => (el("tooltip").style.display = "none"));
      svg.appendChild(p);
      if (f.properties.kind === "helsinki") labels.push([f, "Helsinki (ei hyvinvointialue / not a county)"]);
    }
    for (const [f, label] of labels) {
      const [x, y] = path.centroid(f);
      const t = document.createElementNS(SVG, "text");
      t.setAttribute("x", String(x + 8));
      t.setAttribute("y", String(y + 14));
      t.setAttribute("class", "own-label");
      t.textContent = label;
      svg.appendChild(t);
    }
    holder.insertBefore(svg, el("tooltip"));
    legend(cuts, v);
    ranking(geometry, v);
    el("status").textContent = `${Object.keys(v.byCode).length} / ${geometry.features.length} alueella arvo / areas with a value`;
    api.drawn = geometry.features.length;
  }

  function tooltip(ev, message) {
    const tip = el("tooltip");
    const box = el("map").getBoundingClientRect();
    tip.textContent = message;
    tip.style.left = `${ev.clientX - box.left + 12}px`;
    tip.style.top = `${ev.clientY - box.top + 12}px`;
    tip.style.display = "block";
  }

  function legend(cuts, v) {
    const box = el("legend");
    box.replaceChildren();
    const m = state.measure;
    const row = (fill, label, cls) => {
      const r = text("div", "", { class: "legend-row" });
      const s = text("span", "", { class: "swatch" + (cls ? " " + cls : "") });
      s.style.background = fill;
      r.append(s, text("span", label));
      box.appendChild(r);
    };
    row(ZERO, "0");
    const bounds = [0, ...cuts];
    const max = Math.max(0, ...Object.values(v.byCode));
    bounds.forEach((lo, k) => {
      const hi = k + 1 < bounds.length ? bounds[k + 1] : max;
      if (hi <= 0) return;
      const from = k === 0 ? `> 0` : `> ${fmt(lo, m)}`;
      row(colour(k === 0 ? Math.min(hi, cuts[0] || hi) : hi, cuts), `${from} – ${fmt(hi, m)}`);
    });
    if (state.level === "county") {
      row("#fff", OWN_AREA.helsinki + " (näytetään omana alueenaan / shown as an area of its own)", "own");
      row("#fff", OWN_AREA.aland, "own");
    }
    box.appendChild(
      text("p", "Hanke, jolla on useita alueita, lasketaan jokaiseen: alueiden summa ei ole koko maan summa. / A project of several areas counts in each: areas do not add up to a national total.", { class: "note" })
    );
  }

  function ranking(geometry, v) {
    const names = {};
    for (const f of geometry.features) names[f.properties.code] = f.properties.name;
    const rows = Object.entries(v.byCode).sort((a, b) => b[1] - a[1]);
    const table = document.createElement("table");
    const head = document.createElement("tr");
    head.append(text("th", "alue / area"), text("th", el("measure").selectedOptions[0].textContent));
    table.appendChild(head);
    for (const [code, value] of rows) {
      const tr = text("tr", "", { "data-code": code, "data-value": String(value) });
      tr.append(text("td", names[code] || code), text("td", fmt(value, state.measure), { class: "num" }));
      table.appendChild(tr);
    }
    el("ranking").replaceChildren(table);
    const basis = document.createElement("table");
    for (const b of payload.bases) {
      const tr = text("tr", "", { "data-basis": b, "data-value": String(v.byBasis[b] || 0) });
      tr.append(text("td", BASIS_LABEL[b]), text("td", fmt(v.byBasis[b] || 0, state.measure), { class: "num" }));
      basis.appendChild(tr);
    }
    const none = text("tr", "", { "data-basis": "none", "data-value": String(v.unplaced) });
    none.append(text("td", "ei aluetta tällä tasolla / no area on this level"), text("td", fmt(v.unplaced, state.measure), { class: "num" }));
    basis.appendChild(none);
    const box = el("basis");
    box.replaceChildren(basis);
    box.appendChild(
      text("p", "Alue on joko ilmoitettu lähteessä tai päätelty vastuuviranomaisesta tai toteuttajan kotipaikasta (sg:areaBasis); kukin hanke lasketaan alueella varmimmalla perusteellaan. / An area is stated in the record or inferred from the responsible authority or the implementer's seat (sg:areaBasis); each project counts in an area with its firmest basis.", { class: "note" })
    );
  }

  function control(id, key, parse) {
    const node = el(id);
    const isBox = node.type === "checkbox";
    if (isBox) node.checked = !!state[key];
    else node.value = String(state[key]);
    node.addEventListener("change", () => {
      state[key] = isBox ? node.checked : parse ? parse(node.value) : node.value;
      draw();
    });
  }

  for (const p of payload.periods) el("period").appendChild(text("option", p, { value: p }));
  for (const y of payload.years) el("year").appendChild(text("option", String(y), { value: String(y) }));
  control("level", "level");
  control("measure", "measure");
  control("period", "period");
  control("year", "year", (x) => (x === "" ? "" : Number(x)));
  control("sote-only", "soteOnly");
  control("inferred", "inferred");
  el("attribution").textContent = payload.attribution;

  const api = {
    state: state,
    values: values,
    drawn: 0,
    set(key, value) {
      state[key] = value;
      const ids = { level: "level", measure: "measure", period: "period", year: "year", soteOnly: "sote-only", inferred: "inferred" };
      const node = el(ids[key]);
      if (node && node.type === "checkbox") node.checked = !!value;
      else if (node) node.value = String(value);
      draw();
      return api.drawn;
    },
  };
  window.sotegraphMap = api;
  draw();
  let pending = null;
  window.addEventListener("resize", () => {
    clearTimeout(pending);
    pending = setTimeout(draw, 150);
  });
})();
