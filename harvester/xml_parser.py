"""The XML parser for what museum systems send: no network, no entities, libxml2's limits on."""

from __future__ import annotations

import threading

from lxml import etree

__all__ = ["hardened_parser"]

_local = threading.local()


def hardened_parser(*, recover: bool = False) -> etree.XMLParser:
    """Hardened parsers, one pair per thread (lxml parsers must not be shared across threads).

    libxml2's size and depth limits stay on (no huge_tree): a museum's page is
    untrusted input, and a text node over 10 MB is a broken export, not a record.
    """
    key = "recover" if recover else "strict"
    parser = getattr(_local, key, None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
        )
        setattr(_local, key, parser)
    return parser
