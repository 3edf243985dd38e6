"""LIDO 1.0 / 1.1 records to core records.

One reader serves both versions (same namespace, 1.1 is a superset), both
roots (``lidoWrap`` and a bare ``lido``), the element inside an OAI-PMH
``<metadata>`` wrapper, and exports that dropped the namespace altogether.

A record is only refused (``MappingError``) when nothing catalogue-worthy can
be made of it; everything else becomes a record plus warnings that name the
LIDO field, and the list of source paths the core record cannot hold, so a
museum can see what the national catalogue does not show and why; every value
keeps the paths of the elements it was read from.

The reader is split by subject:

* ``document``: payload bytes to the ``lido`` element, schema findings, version;
* ``elements``: looking up children by name and reading their text;
* ``concepts``: terms, names and languages, and the record's warnings;
* ``identification``: titles, object type, classification, inventory number;
* ``description``: descriptions, inscriptions, measurements, subjects;
* ``materials``: materials and techniques;
* ``events``: each event read whole, and which one is the making (production);
* ``places``: event places with the broader places they lie in;
* ``history``: every other event as a core Event, merged across language blocks;
* ``resources``: rights, media and the object's page;
* ``merging``: per-language blocks into one record;
* ``unmapped``: the source paths left out;
* ``provenance``: the element paths each core field was read from;
* ``reader``: the order of all of the above, and ``MAPPING_VERSION``.
"""

from __future__ import annotations

from mappings.lido_in.document import schema_findings
from mappings.lido_in.reader import MAPPING_VERSION, map_lido

__all__ = ["MAPPING_VERSION", "map_lido", "schema_findings"]
