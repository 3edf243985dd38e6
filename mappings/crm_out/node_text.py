"""A light document's Turtle and N-Triples written subject by subject, not triple by triple.

``nodes_turtle`` / ``nodes_ntriples`` over ``gather`` take every node's
triples, then sort, deduplicate and group them again; a record has some
twenty nodes of its own and some forty shared with other records, and that
regrouping was most of what the writers spent past the build.  Here a
record's own node is written from its keys in the order its block or lines
take (``node_rdf``), a node shared between records gives the texts it keeps
for itself and all below it, and the text is only joined in subject order.

Two nodes of one subject (an object page naming the object's own URI, a
Type and a Material of one concept) must make one block: ``subject_texts``
then says so, and the writers merge that record's triples as before.  Either
way the text is byte for byte what ``turtle_text`` / ``ntriples_text`` of
the exact walk gives; the specs compare them.
"""

from __future__ import annotations

from mappings.crm_out.light import LightNode
from mappings.crm_out.node_rdf import BLOCKS, LINES, gather, own_block, own_lines, subject_texts
from mappings.crm_out.rdf_text import PREFIX_LINES, nodes_ntriples, nodes_turtle

__all__ = ["document_ntriples", "document_turtle"]


def document_turtle(top: LightNode) -> str:
    """``nodes_turtle(gather(top))``, the same text at a fraction of the cost.  Raises ``NeedsExactWalk``."""
    blocks = subject_texts(top, own_block, BLOCKS)
    if blocks is None:
        return nodes_turtle(gather(top))
    return PREFIX_LINES + "".join([blocks[subject] for subject in sorted(blocks)])


def document_ntriples(top: LightNode) -> str:
    """``nodes_ntriples(gather(top))``, the same text at a fraction of the cost.  Raises ``NeedsExactWalk``."""
    lines = subject_texts(top, own_lines, LINES)
    if lines is None:
        return nodes_ntriples(gather(top))
    if not lines:
        return ""
    return "\n".join([line for subject in sorted(lines) for line in lines[subject]]) + "\n"
