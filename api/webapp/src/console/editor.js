// The Cypher editor of the analyst console: Neo4j's CodeMirror 6 integration
// (@neo4j-cypher/codemirror: highlighting, schema-aware completion), loaded only when
// the console opens (its own chunk). Error positions from the server are marked with
// CodeMirror's lint diagnostics.
import { createCypherEditor } from "@neo4j-cypher/codemirror";
import { setDiagnostics } from "@codemirror/lint";

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
  });
  const view = editor.codemirror;
  editor.onKeyDown((event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    }
  });
  let markedText = null; // the text a mark belongs to
  // Editing clears a mark. The package reports changes late (after parsing), so compare
  // the text; clear after the update (no dispatch inside CodeMirror's own update).
  editor.onValueChanged(() => {
    if (markedText === null || view.state.doc.toString() === markedText) return;
    markedText = null;
    setTimeout(() => clearMark(view));
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
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(to, from), severity: "error", message }]));
      view.dispatch({ selection: { anchor: from }, scrollIntoView: true });
      markedText = doc.toString();
      return from;
    },
    clearMark: () => clearMark(view),
    destroy: () => editor.destroy(),
  };
}

function clearMark(view) {
  view.dispatch(setDiagnostics(view.state, []));
}
