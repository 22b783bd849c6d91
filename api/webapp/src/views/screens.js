// The screening tool (筛查): build a screen from groups (all / any / not) and conditions
// over the six layers' fields, run it, page the matches, save and load screens, export
// every match as CSV and send the matches to an inspection plan. No Cypher is typed.
import { api, raw } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { download, exportName } from "../export.js";
import { errorBlock, notifyError, notifyOk } from "../notify.js";
import { empty, enterpriseLink, riskBadge } from "./common.js";

const PAGE = 50;
let catalogue = null; // { layers, fields } from GET /screens/fields, read once

const byName = () => Object.fromEntries(catalogue.fields.map((f) => [f.name, f]));
const label = (item) => (currentLang() === "zh" ? item.zh : item.en);
const newLeaf = () => ({ field: "region_code", op: "prefix", value: "" });


export function renderScreens(main) {
  const state = { root: { all: [newLeaf()] }, offset: 0 };
  const builder = h("div", { class: "screen-builder", "data-testid": "screen-builder" });
  const results = h("div", { "data-testid": "screen-results" });
  const saved = h("select", { "data-testid": "screen-saved" });
  const name = h("input", { "data-testid": "screen-name", i18nPlaceholder: "screens.name", maxlength: 100 });
  const seed = h("input", { type: "number", min: 0, value: "2026", "data-testid": "screen-seed", class: "narrow" });
  const planOut = h("div", { "data-testid": "screen-plan" });

  const redraw = () => replace(builder, groupView(state.root, null, redraw));
  const run = (offset = 0) => {
    state.offset = offset;
    replace(results, spinner());
    api
      .post("/screens:run", { screen: state.root, limit: PAGE, offset })
      .then((page) => replace(results, resultsView(page, run)))
      .catch((error) => replace(results, errorBlock(error)));
  };
  const loadSaved = () =>
    api.get("/screens", { limit: 200 }).then((page) => {
      replace(saved, h("option", { value: "", i18n: "screens.saved_pick" }),
        ...page.items.map((s) => h("option", { value: s.sid }, s.name))); // prettier-ignore
      saved._items = Object.fromEntries(page.items.map((s) => [s.sid, s]));
    });
  const actions = h("div", { class: "screen-actions" },
    h("button", { class: "primary", i18n: "screens.run", "data-testid": "screen-run", onclick: () => run(0) }),
    h("button", { class: "secondary", i18n: "screens.export", "data-testid": "screen-export", onclick: () => exportCsv(state.root) }),
    name,
    h("button", { class: "secondary", i18n: "screens.save", "data-testid": "screen-save", onclick: () => {
      api.post("/screens", { name: name.value.trim(), screen: state.root })
        .then(() => { notifyOk("screens.saved_ok"); return loadSaved(); })
        .catch(notifyError);
    } }),
    saved,
    h("button", { class: "secondary", i18n: "screens.load", "data-testid": "screen-load", onclick: () => {
      const item = saved._items?.[saved.value];
      if (!item) return;
      state.root = item.definition.all || item.definition.any || item.definition.not ? item.definition : { all: [item.definition] };
      name.value = item.name;
      redraw();
    } }),
    h("button", { class: "link", i18n: "screens.delete", "data-testid": "screen-delete", onclick: () => {
      if (!saved.value) return;
      raw("DELETE", `/screens/${encodeURIComponent(saved.value)}`).then(loadSaved).catch(notifyError);
    } }),
  ); // prettier-ignore
  const plan = h("div", { class: "screen-actions" }, h("label", {}, tx("screens.seed"), seed),
    h("button", { class: "secondary", i18n: "screens.plan", "data-testid": "screen-send-plan", onclick: () => {
      replace(planOut, spinner());
      api.post("/screens:plan", { screen: state.root, seed: Number(seed.value) || 0 })
        .then((p) => replace(planOut, h("p", {}, tx("screens.plan_done", { plan: p.plan_id, population: p.population, selected: p.selected_count }))))
        .catch((error) => replace(planOut, errorBlock(error)));
    } }), planOut); // prettier-ignore
  replace(main, h("div", { class: "view screens" }, h("h1", { i18n: "screens.title" }),
    h("p", { class: "hint", i18n: "screens.hint" }), builder, actions, plan, results)); // prettier-ignore

  const ready = catalogue ? Promise.resolve(catalogue) : api.get("/screens/fields").then((c) => (catalogue = c));
  replace(builder, spinner());
  ready.then(redraw).catch((error) => replace(builder, errorBlock(error)));
  loadSaved().catch(notifyError);
  return undefined;
}

function kindOf(node) {
  return ["all", "any", "not"].find((k) => k in node) ?? null;
}

/** A group (all / any / not) with its children and buttons to add conditions or groups. */
function groupView(node, onReplace, redraw) {
  const kind = kindOf(node);
  const children = kind === "not" ? [node.not] : node[kind];
  const setChildren = (list) => {
    if (kind === "not") node.not = list[0] ?? newLeaf();
    else node[kind] = list;
  };
  const select = h("select", { "data-testid": "group-kind", onchange: (event) => {
    const next = event.target.value;
    const list = children.slice();
    delete node[kind];
    node[next] = next === "not" ? (list[0] ?? newLeaf()) : list;
    redraw();
  } }, ...["all", "any", "not"].map((k) => h("option", { value: k, selected: k === kind, i18n: `screens.group_${k}` }))); // prettier-ignore
  const items = children.map((child, index) => {
    const replaceChild = (next) => {
      const list = children.slice();
      if (next === null) list.splice(index, 1);
      else list[index] = next;
      setChildren(list);
      redraw();
    };
    return kindOf(child) ? groupView(child, replaceChild, redraw) : leafView(child, replaceChild, redraw);
  });
  const add = (child) => {
    if (kind === "not") return;
    node[kind].push(child);
    redraw();
  };
  return h("div", { class: `screen-group group-${kind}`, "data-testid": "screen-group" },
    h("div", { class: "group-head" }, select,
      kind !== "not" ? h("button", { class: "link", i18n: "screens.add_condition", "data-testid": "add-condition", onclick: () => add(newLeaf()) }) : null,
      kind !== "not" ? h("button", { class: "link", i18n: "screens.add_group", "data-testid": "add-group", onclick: () => add({ any: [newLeaf()] }) }) : null,
      onReplace ? h("button", { class: "link", i18n: "screens.remove", onclick: () => onReplace(null) }) : null),
    h("div", { class: "group-body" }, ...items)); // prettier-ignore
}

/** One condition: the field (grouped by layer), its op, its value inputs and window. */
function leafView(leaf, onReplace, redraw) {
  const fields = byName();
  const spec = fields[leaf.field];
  const fieldSelect = h("select", { "data-testid": "leaf-field", onchange: (event) => {
    const next = fields[event.target.value];
    onReplace({ field: next.name, op: next.ops[0], value: defaultValue(next, next.ops[0]) });
  } }, ...catalogue.layers.map((layer) => h("optgroup", { label: label(layer) },
    ...catalogue.fields.filter((f) => f.layer === layer.id)
      .map((f) => h("option", { value: f.name, selected: f.name === leaf.field }, label(f)))))); // prettier-ignore
  const opSelect = h("select", { "data-testid": "leaf-op", onchange: (event) => {
    onReplace({ ...leaf, op: event.target.value, value: defaultValue(spec, event.target.value) });
  } }, ...spec.ops.map((op) => h("option", { value: op, selected: op === leaf.op, i18n: `screens.op_${op}` }))); // prettier-ignore
  const months = spec.window
    ? h("label", { class: "months" }, tx("screens.months"), h("input", { type: "number", min: 1, max: 240, class: "narrow",
        "data-testid": "leaf-months", value: leaf.months ?? spec.default_months ?? "", oninput: (event) => {
          const value = Number(event.target.value);
          if (event.target.value === "") delete leaf.months;
          else leaf.months = value;
        } })) // prettier-ignore
    : null;
  return h("div", { class: "screen-leaf", "data-testid": "screen-leaf", title: spec.description },
    fieldSelect, opSelect, valueInput(spec, leaf), months,
    h("button", { class: "link", i18n: "screens.remove", "data-testid": "leaf-remove", onclick: () => onReplace(null) })); // prettier-ignore
}

function defaultValue(spec, op) {
  if (op === "missing" || spec.type === "bool") return true;
  if (op === "in") return [];
  if (op === "between") return spec.type === "date" ? ["", ""] : [0, 0];
  if (spec.choices.length) return spec.choices[0];
  return ["number", "integer", "count"].includes(spec.type) ? 0 : "";
}

const NUMERIC = ["number", "integer", "count"];

function scalarInput(spec, value, set) {
  if (spec.choices.length) {
    return h("select", { "data-testid": "leaf-value", onchange: (e) => set(e.target.value) },
      ...spec.choices.map((c) => h("option", { value: c, selected: c === value }, choiceLabel(spec, c)))); // prettier-ignore
  }
  const type = NUMERIC.includes(spec.type) ? "number" : spec.type === "date" ? "date" : "text";
  return h("input", { type, value: value ?? "", "data-testid": "leaf-value", step: spec.type === "number" ? "any" : "1",
    oninput: (e) => set(type === "number" ? (e.target.value === "" ? null : Number(e.target.value)) : e.target.value) }); // prettier-ignore
}

function choiceLabel(spec, choice) {
  return spec.name === "entity_kind" ? t(`screens.kind_${choice}`) : choice;
}

function valueInput(spec, leaf) {
  const set = (value) => (leaf.value = value);
  if (leaf.op === "missing" || spec.type === "bool") {
    return h("select", { "data-testid": "leaf-value", onchange: (e) => set(e.target.value === "true") },
      h("option", { value: "true", selected: leaf.value === true, i18n: "screens.yes" }),
      h("option", { value: "false", selected: leaf.value === false, i18n: "screens.no" })); // prettier-ignore
  }
  if (leaf.op === "between") {
    const pair = Array.isArray(leaf.value) ? leaf.value : ["", ""];
    return h("span", { class: "between" },
      scalarInput(spec, pair[0], (v) => (leaf.value = [v, pair[1]])), "–",
      scalarInput(spec, pair[1], (v) => (leaf.value = [pair[0], v]))); // prettier-ignore
  }
  if (leaf.op === "in") {
    const list = Array.isArray(leaf.value) ? leaf.value : [];
    if (spec.choices.length) {
      return h("select", { multiple: true, size: Math.min(5, spec.choices.length), "data-testid": "leaf-value",
        onchange: (e) => set([...e.target.selectedOptions].map((o) => o.value)) },
        ...spec.choices.map((c) => h("option", { value: c, selected: list.includes(c) }, choiceLabel(spec, c)))); // prettier-ignore
    }
    return h("input", { value: list.join(", "), "data-testid": "leaf-value", i18nPlaceholder: "screens.comma",
      oninput: (e) => set(e.target.value.split(/[,，\s]+/).filter(Boolean).map((v) => (NUMERIC.includes(spec.type) ? Number(v) : v))) }); // prettier-ignore
  }
  return scalarInput(spec, leaf.value, set);
}

function resultsView(page, run) {
  const rows = page.results;
  return h("div", {},
    h("p", { class: "screen-total", "data-testid": "screen-total" }, tx("screens.total", { total: page.total })),
    rows.length
      ? table([
          { key: "detail.name", cell: (e) => enterpriseLink(e.uscc, e.name) },
          { key: "detail.uscc", cell: (e) => e.uscc, class: "mono" },
          { key: "screens.kind", cell: (e) => t(`screens.kind_${e.entity_kind}`) },
          { key: "detail.status", cell: (e) => e.status ?? "" },
          { key: "detail.region", cell: (e) => e.region_code ?? "" },
          { key: "detail.industry", cell: (e) => e.industry_code ?? "" },
          { key: "detail.risk_class", cell: (e) => riskBadge(e.risk_class ?? e.label_class, { scored: Boolean(e.risk_class) }) },
          { key: "detail.risk_score", cell: (e) => (e.risk_score === null || e.risk_score === undefined ? "" : e.risk_score.toFixed(3)) },
        ], rows, { testid: "screen-table" })
      : empty("screens.none"),
    h("div", { class: "pager" },
      page.offset > 0 ? h("button", { class: "link", i18n: "common.previous", onclick: () => run(Math.max(0, page.offset - PAGE)) }) : null,
      page.next_offset !== null ? h("button", { class: "link", i18n: "common.next", "data-testid": "screen-next", onclick: () => run(page.next_offset) }) : null)); // prettier-ignore
}

async function exportCsv(screen) {
  try {
    const response = await raw("POST", "/screens:export", { screen });
    download(await response.blob(), exportName("screen", "csv"));
  } catch (error) {
    notifyError(error);
  }
}
