/* sotegraph report: draws the Vega-Lite charts of #chart-spec with vega-embed, expressions
   run by vega-interpreter (no eval, so the page's Content-Security-Policy needs no
   'unsafe-eval'); renders SVG; fetches nothing. */
(function () {
  "use strict";
  const spec = JSON.parse(document.getElementById("chart-spec").textContent);
  const status = document.getElementById("chart-status");
  window.sotegraphReport = { ready: false, view: null, error: null };
  vegaEmbed("#charts", spec, {
    renderer: "svg",
    actions: false,
    ast: true,
    expr: window.vegaInterpreter,
    // never load anything: a spec with a URL fails instead of fetching
    loader: { load: () => Promise.reject(new Error("the report loads nothing")) },
  })
    .then((result) => {
      window.sotegraphReport.view = result.view;
      window.sotegraphReport.ready = true;
    })
    .catch((err) => {
      window.sotegraphReport.error = String(err);
      status.textContent = "Kaavioita ei voitu piirtää / the charts could not be drawn: " + err;
      console.error(err);
    });
})();
