// Model health (模型监测): one month's monitoring report — the warning level, the class
// shares against the training month (PSI), the features that moved most, and last
// month's classes against the inspection findings recorded since.
import { ApiError, api } from "../api.js";
import { h, replace, spinner, table, tx } from "../dom.js";
import { currentLang, formatPercent, onLangChange } from "../i18n.js";
import { errorBlock } from "../notify.js";

const psi = (value) => (value === null || value === undefined ? "—" : Number(value).toFixed(4));

export function renderModelHealth(main, query) {
  const body = h("div", {}, spinner());
  const picker = h("div", { class: "filters" });
  const view = h("div", { class: "view", "data-testid": "model-health" }, h("h1", { i18n: "health.title" }), picker, body);
  replace(main, view);
  const named = []; // [element, {zh, en}]: feature names follow the language
  const stop = onLangChange((lang) => named.forEach(([el, name]) => (el.textContent = name[lang] ?? name.zh)));
  Promise.all([api.get("/model/monitoring/months", { limit: 120 }), api.get("/model/monitoring", { month: query.month, top: 15 })])
    .then(([months, report]) => {
      replace(picker, monthPicker(months.items, report.month));
      replace(body, ...reportBlocks(report, named));
      view.dataset.month = report.month; // the month shown, once it is drawn
    })
    .catch((error) => {
      if (error instanceof ApiError && error.status === 404) {
        replace(body, h("p", { class: "hint", "data-testid": "health-none" }, tx("health.none")));
      } else replace(body, errorBlock(error));
    });
  return stop;
}

function monthPicker(items, current) {
  const select = h("select", { name: "month", "data-testid": "health-month" },
    ...items.map((m) => h("option", { value: m.month, selected: m.month === current }, `${m.month} · ${m.level ?? ""}`))); // prettier-ignore
  select.addEventListener("change", () => (location.hash = `#/model?${new URLSearchParams({ month: select.value })}`));
  return h("label", {}, tx("health.month"), select);
}

function reportBlocks(report, named) {
  const reference = report.reference;
  const blocks = [
    h("p", { class: `health-level level-${report.level}`, "data-testid": "health-level" },
      tx("health.level"), " ", h("strong", {}, tx(`health.level_${report.level}`))), // prettier-ignore
    h("p", { class: "hint" }, reference
      ? tx("health.against", { version: report.model_version, month: reference.month, population: reference.population })
      : tx("health.no_reference", { version: report.model_version })), // prettier-ignore
  ];
  if (report.warnings.length) {
    blocks.push(h("ul", { class: "health-warnings", "data-testid": "health-warnings" }, ...report.warnings.map((w) => h("li", {}, w))));
  }
  blocks.push(h("h2", { i18n: "health.class_shares" }), classShares(report));
  if (report.worst_features.length) {
    blocks.push(
      h("h2", { i18n: "health.features" }),
      h("p", { class: "hint" }, tx("health.feature_counts", report.feature_levels)),
      table(
        [
          { key: "health.feature", cell: (f) => h("span", { class: "mono" }, f.feature) },
          { key: "health.feature_name", cell: (f) => featureName(f, named) },
          { key: "health.kind", cell: (f) => tx(`health.kind_${f.kind}`) },
          { key: "health.psi", cell: (f) => psi(f.psi), class: "num" },
          { key: "health.feature_level", cell: (f) => tx(`health.level_${f.level}`) },
        ],
        report.worst_features,
        { testid: "health-features", rowClass: (f) => `level-${f.level}` },
      ),
    );
  }
  blocks.push(h("h2", { i18n: "health.calibration" }), calibration(report.calibration));
  return blocks;
}

function featureName(feature, named) {
  if (!feature.name) return "";
  const el = h("span", {}, feature.name[currentLang()] ?? feature.name.zh);
  named.push([el, feature.name]);
  return el;
}

function classShares(report) {
  const classes = Object.keys(report.class_shares);
  const training = report.reference_class_shares ?? {};
  return h(
    "div",
    { "data-testid": "health-classes" },
    table(
      [
        { key: "health.class", cell: (c) => h("span", { class: `badge risk-${c}` }, c) },
        { key: "health.training_share", cell: (c) => (c in training ? formatPercent(training[c]) : "—"), class: "num" },
        { key: "health.current_share", cell: (c) => formatPercent(report.class_shares[c]), class: "num" },
      ],
      classes,
    ),
    h("p", {}, tx("health.class_psi"), " ", h("strong", { "data-testid": "health-class-psi" }, psi(report.class_share_psi)),
      report.class_share_level ? [" (", tx(`health.level_${report.class_share_level}`), ")"] : null), // prettier-ignore
  );
}

function calibration(cal) {
  const inverted = new Set(cal.inversions.flatMap((i) => [i.lower, i.higher]));
  return h(
    "div",
    {},
    h("p", { class: "hint" }, tx("health.calibration_hint", { previous: cal.previous_month, until: cal.until, min: cal.min_inspected })),
    table(
      [
        { key: "health.class", cell: (r) => h("span", { class: `badge risk-${r.class}` }, r.class) },
        { key: "health.inspected", cell: (r) => String(r.inspected), class: "num" },
        { key: "health.with_findings", cell: (r) => String(r.with_findings), class: "num" },
        { key: "health.rate", cell: (r) => (r.rate === null ? "—" : formatPercent(r.rate)), class: "num" },
      ],
      cal.classes,
      { testid: "health-calibration", rowClass: (r) => (inverted.has(r.class) ? "level-watch" : "") },
    ),
    cal.inversions.length
      ? h("p", { class: "health-inversions", "data-testid": "health-inversions" }, tx("health.inversions", { count: cal.inversions.length }))
      : null,
  );
}
