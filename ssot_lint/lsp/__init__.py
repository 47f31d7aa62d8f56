"""``ssot-lint lsp``: the checker in the editor, as a Language Server over stdio.

The server owns no analysis of its own. Each module here owns one thing the editor
needs and borrows the rest from the command-line pipeline:

- ``session``: which project, which buffers, and one check through ``api.check`` with
  the unsaved buffers as an overlay (the one project-reading pipeline);
- ``diagnostics``: findings (and a broken registry or config) as LSP diagnostics;
- ``links``: where a rule's documentation page lives (``codeDescription``);
- ``edits``: text edits — fixes by the fixer on the buffer's text, suppression
  comments, inserted imports — never a write;
- ``actions``: which code actions to offer (quick fix, fix all, suppress, unsafe
  renames when allowed, "import the canonical path" from ``where``);
- ``hover``: the registry's entry for the import under the cursor;
- ``server``: the pygls wiring, file watching, debouncing and error containment.

pygls and lsprotocol are an optional extra (``ssot-lint[lsp]``); nothing outside this
package and ``commands/lsp.py`` imports them.
"""
