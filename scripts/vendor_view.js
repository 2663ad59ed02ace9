// Copies the browser builds of sigma.js and graphology (npm, node_modules/) and their licences
// into src/sotegraph/view/, where sotegraph.export.html_view inlines them into the page.
// Run with `npm run vendor-view` after `npm ci`; the versions are those of package-lock.json.
// The source-map comment is dropped: the page is offline and must not point anywhere.
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "src", "sotegraph", "view");
const files = [
  ["sigma", "dist/sigma.min.js", "sigma.min.js", "LICENSE.txt", "sigma.LICENSE"],
  ["graphology", "dist/graphology.umd.min.js", "graphology.umd.min.js", "LICENSE.txt", "graphology.LICENSE"],
];
for (const [name, src, dest, licence, licenceDest] of files) {
  const pkg = path.join(root, "node_modules", name);
  const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version;
  const code = fs
    .readFileSync(path.join(pkg, src), "utf8")
    .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, "\n");
  if (/<\/script/i.test(code)) throw new Error(`${name}: the build holds "</script"`);
  fs.writeFileSync(path.join(out, dest), `/* ${name} ${version} (MIT), see ${licenceDest} */\n${code}`);
  fs.copyFileSync(path.join(pkg, licence), path.join(out, licenceDest));
  console.log(`vendored ${name} ${version} -> src/sotegraph/view/${dest}`);
}
