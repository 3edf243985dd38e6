"""The RDF namespaces of the output and the prefixes Turtle is written with."""

from __future__ import annotations

import rdflib

__all__ = ["AAT", "CRM", "DIG", "LA", "PREFIXES"]

CRM = rdflib.Namespace("http://www.cidoc-crm.org/cidoc-crm/")
LA = rdflib.Namespace("https://linked.art/ns/terms/")
DIG = rdflib.Namespace("http://www.ics.forth.gr/isl/CRMdig/")
AAT = rdflib.Namespace("http://vocab.getty.edu/aat/")

PREFIXES: dict[str, str] = {
    "crm": str(CRM),
    "la": str(LA),
    "dig": str(DIG),
    "rdfs": str(rdflib.RDFS),
    "xsd": str(rdflib.XSD),
    "aat": str(AAT),
}
