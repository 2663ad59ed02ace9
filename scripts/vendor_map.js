// Copies the browser builds of d3-array and d3-geo (the map) and of vega, vega-lite,
// vega-embed and vega-interpreter (the report's charts), with their licences, into
// src/sotegraph/view/, where sotegraph.maps and sotegraph.report inline them into the pages.
// Run with `npm run vendor-map` after `npm ci`; the versions are those of package-lock.json.
// Source-map comments are dropped (the pages are offline and must not point anywhere).
// vega-interpreter ships only an ES module: its one import (from vega-util, which the vega
// bundle re-exports) and its export are rewritten into a script that sets
// `window.vegaInterpreter`, so charts render under a Content-Security-Policy without
// 'unsafe-eval'.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "src", "sotegraph", "view");

function version(name) {
  return JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8"))
    .version;
}

function write(name, dest, code, licence) {
  code = code.replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
  if (/<\/script/i.test(code)) throw new Error(`${name}: the build holds "</script"`);
  const pkg = path.join(root, "node_modules", name);
  fs.writeFileSync(
    path.join(out, dest),
    `/* ${name} ${version(name)} (${licence}), see ${name}.LICENSE */\n${code}`
  );
  fs.copyFileSync(path.join(pkg, "LICENSE"), path.join(out, `${name}.LICENSE`));
  console.log(`vendored ${name} ${version(name)} -> src/sotegraph/view/${dest}`);
}

function read(name, file) {
  return fs.readFileSync(path.join(root, "node_modules", name, file), "utf8");
}

write("d3-array", "d3-array.min.js", read("d3-array", "dist/d3-array.min.js"), "ISC");
write("d3-geo", "d3-geo.min.js", read("d3-geo", "dist/d3-geo.min.js"), "ISC");
write("vega", "vega.min.js", read("vega", "build/vega.min.js"), "BSD-3-Clause");
write("vega-lite", "vega-lite.min.js", read("vega-lite", "build/vega-lite.min.js"), "BSD-3-Clause");
write("vega-embed", "vega-embed.min.js", read("vega-embed", "build/vega-embed.min.js"), "BSD-3-Clause");

let interpreter = read("vega-interpreter", "build/vega-interpreter.js");
const imports = /^import \{([^}]*)\} from 'vega-util';\n/m;
const exported = /^export \{ expression as expressionInterpreter \};\s*$/m;
if (!imports.test(interpreter) || !exported.test(interpreter)) {
  throw new Error("vega-interpreter: unexpected module form (update scripts/vendor_map.js)");
}
interpreter =
  "(function (vega) {\n" +
  interpreter
    .replace(imports, (_, names) => `const {${names}} = vega;\n`)
    .replace(exported, "window.vegaInterpreter = expression;\n") +
  "})(window.vega);\n";
write("vega-interpreter", "vega-interpreter.js", interpreter, "BSD-3-Clause");
