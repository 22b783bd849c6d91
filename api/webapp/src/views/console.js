// Analyst console (分析控制台): read-only Cypher with Neo4j's editor (highlighting,
// schema-aware completion), a schema sidebar whose items insert into the editor, named
// queries as templates with a parameter form, results as a table or a graph, CSV of the
// rows, and the server's error marked at its line and column. Only for roles with
// `cypher:run`; the server refuses writes whatever the page sends.
import { ApiError, api } from "../api.js";
import { h, replace, spinner, tx } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { errorBlock } from "../notify.js";
import { GraphCanvas } from "../graph/canvas.js";
import { legend } from "../graph/legend.js";
import { graphToolbar } from "../graph/toolbar.js";
import { columnsOf, downloadCsv, emptyNote, graphOf, graphOfAnswer, resultTable, rowsOfAnswer } from "../console/results.js";
import { showEnterprise, showNode } from "./detail.js";

const EXAMPLE = "MATCH (e:Enterprise)-[r:REGISTERED_AT]->(a:Address)\nWHERE e.risk_class IN ['C', 'D']\nRETURN e, r, a\nLIMIT 50";
let lastQuery = EXAMPLE; // kept while the tab lives, so leaving and coming back keeps the text

export function renderConsole(main, side) {
  const state = { editor: null, canvas: null, result: null, mode: "table", page: 0, alive: true };
  const editorBox = h("div", { class: "console-editor", "data-testid": "console-editor" }, spinner());
  const status = h("div", { class: "console-status", "data-testid": "console-status", "aria-live": "polite" });
  const output = h("div", { class: "console-output", "data-testid": "console-output" });
  const schemaBox = h("div", { class: "console-schema", "data-testid": "console-schema" }, spinner());
  const templates = h("div", { class: "console-templates", "data-testid": "console-templates" });
  const modeButton = (mode) => h("button", { class: "secondary", i18n: `console.as_${mode}`, "data-testid": `console-as-${mode}`,
    onclick: () => { state.mode = mode; show(); } }); // prettier-ignore
  const runButton = h("button", { class: "primary", i18n: "console.run", "data-testid": "console-run", onclick: () => runCypher() });
  const csvButton = h("button", { class: "secondary", i18n: "console.csv", "data-testid": "console-csv", disabled: true,
    onclick: () => state.result && downloadCsv(state.result.columns, state.result.rows) }); // prettier-ignore
  const bar = h("div", { class: "toolbar console-bar" }, runButton, h("span", { class: "hint", i18n: "console.run_hint" }),
    h("span", { class: "spacer" }), modeButton("table"), modeButton("graph"), csvButton); // prettier-ignore
  replace(main, h("div", { class: "view console-view" },
    h("h1", { i18n: "console.title" }), h("p", { class: "hint", i18n: "console.hint" }),
    h("div", { class: "console-grid" },
      h("aside", {}, h("h2", { i18n: "console.templates" }), templates, h("h2", { i18n: "console.schema" }), schemaBox),
      h("section", { class: "console-main" }, editorBox, bar, status, output)))); // prettier-ignore

  // The editor comes in its own chunk: the rest of the app does not load it.
  const ready = import("../console/editor.js").then(({ cypherEditor }) => {
    if (!state.alive) return;
    editorBox.replaceChildren();
    state.editor = cypherEditor(editorBox, { value: lastQuery, placeholder: t("console.placeholder"), onRun: () => runCypher() });
  });
  api.get("/cypher/schema").then(async (schema) => {
    await ready;
    if (!state.alive) return;
    replace(schemaBox, schemaList(schema, (text) => state.editor?.insert(text)));
    state.editor?.setSchema(editorSchema(schema));
    replace(status, tx("console.limits", { rows: schema.limits.max_rows, seconds: schema.limits.timeout_s }));
  }).catch((error) => replace(schemaBox, errorBlock(error)));
  api.get("/queries").then((list) => state.alive && replace(templates, templateForm(list, runNamed)))
    .catch((error) => replace(templates, errorBlock(error))); // prettier-ignore

  async function runCypher() {
    if (!state.editor) return;
    const query = state.editor.value();
    lastQuery = query;
    if (!query.trim()) return;
    state.editor.clearMark();
    await run(() => api.post("/cypher", { query, params: {} }), (answer) => ({
      columns: answer.columns, rows: answer.rows, graph: graphOf(answer.rows),
      truncated: answer.truncated, elapsed: answer.elapsed_ms })); // prettier-ignore
  }

  async function runNamed(name, params) {
    await run(() => api.post(`/queries/${encodeURIComponent(name)}`, params), (answer) => {
      const rows = rowsOfAnswer(answer);
      return { columns: columnsOf(rows), rows, graph: graphOfAnswer(answer), truncated: Boolean(answer?.truncated), elapsed: null };
    });
  }

  async function run(request, shape) {
    runButton.disabled = true;
    replace(output, spinner());
    replace(status);
    delete status.dataset.rows; // set again when this answer is drawn
    try {
      state.result = shape(await request());
      state.page = 0;
      if (state.mode === "graph" && !state.result.graph.nodes.length) state.mode = "table";
      const { rows, truncated, elapsed } = state.result;
      replace(status, tx(truncated ? "console.rows_truncated" : "console.rows", { n: rows.length, ms: elapsed ?? "–" }));
      status.dataset.rows = String(rows.length);
      show();
    } catch (error) {
      state.result = null;
      showError(error);
    } finally {
      runButton.disabled = false;
      csvButton.disabled = !state.result?.rows.length;
    }
  }

  function showError(error) {
    if (!(error instanceof ApiError)) throw error;
    const where = error.details?.[0];
    if (where && state.editor) state.editor.mark(where.line, where.column, error.message);
    const key = CONSOLE_ERRORS[error.code];
    if (!key) return replace(output, errorBlock(error));
    replace(output, h("div", { class: "error-block", role: "alert", "data-testid": "console-error", dataset: { code: error.code } },
      tx(key), where ? h("span", { "data-testid": "console-error-at" }, " ", tx("console.at", where)) : null,
      h("div", { class: "mono console-error-detail" }, error.message))); // prettier-ignore
  }

  function show() {
    state.canvas?.destroy();
    state.canvas = null;
    const result = state.result;
    if (!result) return;
    if (!result.rows.length) return replace(output, emptyNote());
    if (state.mode === "graph") {
      if (!result.graph.nodes.length) return replace(output, h("p", { class: "empty", "data-testid": "console-no-graph" }, tx("console.no_graph")));
      const area = h("div", { class: "graph-area", "data-testid": "console-graph" });
      replace(output, graphToolbar(() => state.canvas, "console"), area, legend());
      state.canvas = new GraphCanvas(area, {
        onTap: (data) => (data.kind === "Enterprise" ? showEnterprise(side, data.id) : showNode(side, data)),
      });
      state.canvas.addNodes(result.graph.nodes);
      state.canvas.addEdges(result.graph.edges);
      state.canvas.layout({ name: "fcose" }).then(() => state.canvas?.fit());
      return undefined;
    }
    replace(output, resultTable(result.columns, result.rows, state.page, (page) => { state.page = page; show(); }));
    return undefined;
  }

  return () => {
    state.alive = false;
    if (state.editor) lastQuery = state.editor.value();
    state.canvas?.destroy();
    state.editor?.destroy();
  };
}

const CONSOLE_ERRORS = {
  read_only: "console.refused_write",
  malformed_query: "console.syntax",
  query_limit: "console.limit",
  query_error: "console.query_error",
  query_timeout: "console.timeout",
};

function editorSchema(schema) {
  return {
    labels: schema.labels.map((l) => l.name),
    relationshipTypes: schema.relationship_types.map((r) => r.name),
    propertyKeys: schema.property_keys.map((p) => p.key),
    procedures: schema.procedures.map((name) => ({ name, signature: `${name}()`, returnItems: [] })),
  };
}

const quote = (name) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replaceAll("`", "``")}\``);

/** Labels, relationship types (with counts; open to see sampled property keys), keys. */
function schemaList(schema, insert) {
  const item = (text, insertText, count, testid) =>
    h("li", {}, h("button", { class: "link schema-item", "data-testid": testid, title: insertText, onclick: () => insert(insertText) }, text),
      count === undefined ? null : h("span", { class: "count" }, count.toLocaleString())); // prettier-ignore
  const group = (titleKey, entries, toItem, testid) =>
    h("details", { open: true, "data-testid": testid }, h("summary", { i18n: titleKey }), h("ul", {}, ...entries.map(toItem)));
  const keysOf = (entry, prefix) =>
    h("details", { class: "schema-keys" }, h("summary", {}, tx("console.keys", { n: entry.properties.length, sampled: entry.sampled })),
      h("ul", {}, ...entry.properties.map((p) => item(p.key, `${prefix}.${quote(p.key)}`, p.count, "schema-key")))); // prettier-ignore
  return h("div", {},
    group("console.labels", schema.labels, (l) => h("li", {}, item(`:${l.name}`, `:${quote(l.name)}`, l.count, "schema-label"), keysOf(l, "n")), "schema-labels"),
    group("console.types", schema.relationship_types, (r) => h("li", {}, item(`:${r.name}`, `:${quote(r.name)}`, r.count, "schema-type"), keysOf(r, "r")), "schema-types"),
    group("console.property_keys", schema.property_keys, (p) => item(p.key, quote(p.key), p.count, "schema-property"), "schema-properties")); // prettier-ignore
}

/** Named queries as templates: pick one, fill its parameters, run it. */
function templateForm(list, runNamed) {
  const zh = () => currentLang() === "zh";
  const select = h("select", { "data-testid": "template-select" }, h("option", { value: "", i18n: "console.template_pick" }),
    ...list.map((q) => h("option", { value: q.name }, `${zh() ? q.title_zh : q.title} (${q.name})`))); // prettier-ignore
  const fields = h("div", { class: "template-fields" });
  const form = h("form", { class: "template-form", "data-testid": "template-form" }, select, fields,
    h("button", { type: "submit", class: "secondary", i18n: "console.template_run", "data-testid": "template-run" })); // prettier-ignore
  const chosen = () => list.find((q) => q.name === select.value);
  select.addEventListener("change", () => {
    const query = chosen();
    replace(fields, ...(query ? [h("p", { class: "hint" }, query.description), ...query.params.map(paramField)] : []));
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = chosen();
    if (!query) return;
    const params = {};
    for (const p of query.params) {
      const raw = form.elements[`p-${p.name}`].value.trim();
      if (raw === "") continue;
      params[p.name] = p.type === "int" ? Number(raw) : raw;
    }
    runNamed(query.name, params);
  });
  return form;
}

function paramField(p) {
  const name = `p-${p.name}`;
  const testid = `template-param-${p.name}`;
  const input = p.choices
    ? h("select", { name, "data-testid": testid }, ...(p.required ? [] : [h("option", { value: "" }, "")]),
        ...p.choices.map((c) => h("option", { value: c, selected: c === p.default }, String(c)))) // prettier-ignore
    : h("input", { name, "data-testid": testid, required: p.required, autocomplete: "off",
        type: p.type === "int" ? "number" : "text", min: p.minimum, max: p.maximum,
        value: p.default ?? "", placeholder: p.help }); // prettier-ignore
  return h("label", { title: p.help }, h("span", { class: "mono" }, p.name), input);
}
