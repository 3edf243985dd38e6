"""What a mapping has to say about one record, for the museum that sent it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mappings.core import CoreRecord

__all__ = ["Issue", "MappingError", "MappingResult"]


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about a record, naming the field so a museum can fix it."""

    field: str
    message: str
    severity: str = "warning"  # "warning" | "error" | "info"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class MappingError(Exception):
    """A record that cannot become a core record at all (it is quarantined)."""

    def __init__(self, museum_id: str, local_id: str, field: str, message: str) -> None:
        self.museum_id = museum_id
        self.local_id = local_id
        self.field = field
        self.message = message
        super().__init__(f"museum {museum_id}, record {local_id}, field {field}: {message}")


@dataclass(slots=True)
class MappingResult:
    record: CoreRecord
    issues: list[Issue] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # source paths the core cannot hold

    def warn(self, field_name: str, message: str) -> None:
        self.issues.append(Issue(field_name, message))

    def findings(self) -> list[Issue]:
        """Issues plus one note listing what the core record could not hold (the raw record keeps it)."""
        if not self.unmapped:
            return list(self.issues)
        note = Issue("unmapped", "kept only in the raw record: " + ", ".join(self.unmapped), "info")
        return [*self.issues, note]
