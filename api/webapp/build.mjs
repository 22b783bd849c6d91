// Bundles the investigator web app into api/webapp/dist (served by `riskgraph serve` at /).
// Everything comes from node_modules: no CDN, nothing vendored. Asset names carry a
// content hash; index.html is written last, so a half-finished build is never served.
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { regionsJson } from "./geo.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const production = !process.argv.includes("--dev");

await rm(dist, { recursive: true, force: true });
await mkdir(join(dist, "assets"), { recursive: true });

// The overview map's region outlines (geo.mjs), a content-hashed asset the app fetches.
const regions = await regionsJson(join(here, "..", ".."));
const regionsName = `regions-${createHash("sha256").update(regions).digest("hex").slice(0, 12)}.json`;
await writeFile(join(dist, "assets", regionsName), regions);

const result = await build({
  define: { RG_REGIONS_URL: JSON.stringify(`/assets/${regionsName}`) },
  entryPoints: { app: join(here, "src/main.js"), style: join(here, "src/style.css") },
  bundle: true,
  format: "esm",
  target: ["chrome109", "firefox115", "safari16"],
  minify: production,
  sourcemap: production ? false : "inline",
  outdir: join(dist, "assets"),
  entryNames: "[name]-[hash]",
  splitting: true, // views that import() a big library (the console's editor) get their own chunk
  chunkNames: "chunk-[hash]",
  metafile: true,
  legalComments: "linked",
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((path) => basename(path));
const pick = (prefix, ext) => {
  const found = outputs.find((name) => name.startsWith(prefix) && name.endsWith(ext));
  if (!found) throw new Error(`esbuild wrote no ${prefix}*${ext}`);
  return found;
};
const template = await readFile(join(here, "index.html"), "utf8");
const page = template
  .replace("%APP_JS%", `/assets/${pick("app-", ".js")}`)
  .replace("%APP_CSS%", `/assets/${pick("style-", ".css")}`);
await writeFile(join(dist, "index.html"), page);

// Swagger UI for /api/v1/docs, from the swagger-ui-dist package (no CDN).
const swagger = join(dist, "swagger");
const swaggerDist = join(here, "..", "..", "node_modules", "swagger-ui-dist");
await mkdir(swagger, { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE"]) {
  await copyFile(join(swaggerDist, name), join(swagger, name));
}
await copyFile(join(here, "swagger-init.js"), join(swagger, "swagger-init.js"));
console.log(`web app built: ${outputs.length} assets in ${dist}`);
