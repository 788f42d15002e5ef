"""Forms generated from the schema: every key of a payload or declaration, editable.

magicgui's idea applied to Apple's schema: a key definition (type, ``range``,
``rangelist``, ``subkeys``, array items) says which control edits it, so no form is written
by hand.

* :mod:`.plan` and :mod:`.values` — Qt-free: titles, key order, defaults, which keys no
  schema describes; plist values as text and explicit type changes;
* :mod:`.binding` — where a form reads and writes (one root of the document);
* :mod:`.editors` (and :mod:`.items_editor`) — the widget factory: one small editor per
  key type;
* :mod:`.key_form` — the form: rows painted on one canvas, real widgets only for the
  controls (a 200-key form builds in a few times a plain ``QFormLayout``);
* :mod:`.raw_tree` — the typed plist tree for keys no schema describes;
* :mod:`.pages` — a page: the form, the typed tree, a payload's MCX domains;
* :mod:`.add_payload` — the searchable "Add payload" chooser.

The payload list and the filter live in :mod:`rsr_editor.gui.payloads_panel`, the
declaration's page in :mod:`rsr_editor.gui.declarative_tab`.

Object names follow one contract: ``key:KEYPATH`` for an editor, ``managed:KEYPATH`` for
its "managed" box, ``KEYPATH`` dot-separated from the payload (or declaration payload, or
MCX domain) root; ``keyFilter`` for the filter box and ``rawTree`` for the typed tree.
"""
