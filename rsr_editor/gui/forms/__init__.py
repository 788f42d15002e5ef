"""Forms generated from the schema: every key of a payload or declaration, editable.

magicgui's idea applied to Apple's schema: a key definition (type, ``range``,
``rangelist``, ``subkeys``, array items) says which control edits it, so no form is written
by hand.

* :mod:`.plan` — Qt-free: which rows a payload's form has (schema keys in Apple's order,
  nested dictionaries, MCX-wrapped domains) and which keys no schema describes;
* :mod:`.editors` — the widget factory: one small editor per key type;
* :mod:`.key_form` — the form: rows painted on one canvas, real widgets only for the
  controls (so a 200-key form builds about as fast as a plain ``QFormLayout``);
* :mod:`.raw_tree` — the typed plist tree for keys no schema describes;
* :mod:`.payload_editor` — a payload's page: its form, MCX domains, typed tree, filter;
* :mod:`.add_payload` — the searchable "Add payload" chooser.

Object names follow one contract: ``key:KEYPATH`` for an editor, ``managed:KEYPATH`` for
its "managed" box, ``KEYPATH`` dot-separated from the payload (or declaration payload, or
MCX domain) root; ``keyFilter`` for the filter box and ``rawTree`` for the typed tree.
"""
