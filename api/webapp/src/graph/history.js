// Undo and redo for graph views: a bounded stack of commands, each a pair of
// functions (undo, redo) with a label. The relationship view records a command per
// change as the states before and after it (state.js), so undo needs no request.
export const HISTORY_LIMIT = 50;

export class History {
  constructor({ limit = HISTORY_LIMIT, onChange } = {}) {
    this.limit = limit;
    this.done = [];
    this.undone = [];
    this.onChange = onChange ?? (() => {});
  }

  get canUndo() {
    return this.done.length > 0;
  }

  get canRedo() {
    return this.undone.length > 0;
  }

  /** Records a command that has already been applied; clears what could be redone. */
  push(command) {
    this.done.push(command);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.onChange(this);
  }

  undo() {
    const command = this.done.pop();
    if (!command) return null;
    command.undo();
    this.undone.push(command);
    this.onChange(this);
    return command;
  }

  redo() {
    const command = this.undone.pop();
    if (!command) return null;
    command.redo();
    this.done.push(command);
    this.onChange(this);
    return command;
  }

  clear() {
    this.done = [];
    this.undone = [];
    this.onChange(this);
  }
}

/** Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes, outside text fields; returns the remover. */
export function bindUndoKeys(history, target = document) {
  const onKey = (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (event.target?.closest?.("input, textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    if (key === "z" && !event.shiftKey) history.undo();
    else if ((key === "z" && event.shiftKey) || key === "y") history.redo();
    else return;
    event.preventDefault();
  };
  target.addEventListener("keydown", onKey);
  return () => target.removeEventListener("keydown", onKey);
}
