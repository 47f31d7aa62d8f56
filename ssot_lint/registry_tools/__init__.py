"""Tools that write or read the registry itself rather than the code.

``import-markdown`` and ``init`` produce a registry (a ``Draft`` rendered by
``toml_writer``), ``verify`` checks one against the code, ``where`` answers "how do I
import X?" and ``export-markdown`` renders one for humans. They share the model and
the module index with ``check``; none of them imports the analysed code.
"""
