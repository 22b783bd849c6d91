// The legend of a graph view: risk class colours and node shapes.
import { h, tx } from "../dom.js";
import { NO_CLASS_COLOUR, RISK_COLOURS } from "./style.js";

export function legend() {
  const swatch = (colour, key, shape = "square") =>
    h("span", { class: "legend-item" }, h("i", { class: `swatch ${shape}`, style: `background:${colour}` }), tx(key));
  return h(
    "div",
    { class: "legend", "data-testid": "legend" },
    ...Object.entries(RISK_COLOURS).map(([cls, colour]) => swatch(colour, `risk.${cls}`)),
    swatch(NO_CLASS_COLOUR, "risk.none"),
    swatch("#7e57c2", "kind.Person", "circle"),
    swatch("#00897b", "kind.Address", "diamond"),
    swatch("#6d4c41", "kind.Violation", "triangle"),
  );
}
