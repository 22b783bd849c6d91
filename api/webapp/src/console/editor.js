// The Cypher editor of the analyst console: Neo4j's CodeMirror 6 integration
// (@neo4j-cypher/codemirror: highlighting, schema-aware completion), loaded only when
// the console opens (its own chunk). The server's error position is marked by a field of
// our own: the package keeps a linter running even with `lint: false` (it colours tokens,
// then sets its empty diagnostics 750 ms after each change), which would wipe a mark made
// through @codemirror/lint's diagnostics whenever the answer came back first.
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import { StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView } from "@codemirror/view";

const setErrorMark = StateEffect.define();
/** The marked error: replaced by the effect, gone with any edit. */
const errorMark = StateField.define({
  create: () => Decoration.none,
  update(marks, transaction) {
    for (const effect of transaction.effects) if (effect.is(setErrorMark)) return effect.value;
    return transaction.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});
const errorTheme = EditorView.baseTheme({
  ".cm-error-mark": { textDecoration: "underline wavy #c62828", textUnderlineOffset: "3px", backgroundColor: "#c628281a" },
});

/** An editor in `parent`; `onRun()` on Ctrl/⌘+Enter. */
export function cypherEditor(parent, { value, placeholder, onRun }) {
  const { editor } = createCypherEditor(parent, {
    value,
    placeholder,
    autofocus: true,
    lineNumbers: true,
    lineWrapping: true,
    lint: false, // the server's parser (Neo4j 5) is the judge; this one is older
    theme: "light",
    tooltipAbsolute: false,
    postExtensions: [errorMark, errorTheme],
  });
  const view = editor.codemirror;
  editor.onKeyDown((event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  });
  return {
    value: () => view.state.doc.toString(),
    setValue(text) {
      editor.setValue(text);
      editor.focus();
    },
    /** Schema for completion: labels, relationship types, property keys, procedures. */
    setSchema(schema) {
      editor.setSchema(schema);
    },
    /** Inserts `text` at the cursor (a schema item clicked in the sidebar). */
    insert(text) {
      const { from, to } = view.state.selection.main;
      view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: from + text.length } });
      editor.focus();
    },
    /** Marks the server's error at 1-based line and column; returns the marked offset. */
    mark(line, column, message) {
      const doc = view.state.doc;
      const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
      const from = Math.min(at.from + Math.max(column - 1, 0), at.to);
      const word = /^[\w$`'".]+/.exec(doc.sliceString(from, at.to));
      const to = Math.min(from + Math.max(word?.[0].length ?? 1, 1), doc.length);
      const start = Math.min(from, Math.max(to - 1, 0)); // an error past the end marks the last character
      const mark = Decoration.mark({ class: "cm-error-mark", attributes: { title: message } });
      const marks = to > start ? Decoration.set([mark.range(start, to)]) : Decoration.none;
      view.dispatch({ effects: setErrorMark.of(marks), selection: { anchor: from }, scrollIntoView: true });
      return from;
    },
    clearMark: () => clearMark(view),
    destroy: () => editor.destroy(),
  };
}

function clearMark(view) {
  view.dispatch({ effects: setErrorMark.of(Decoration.none) });
}
