"""One CSV row to one core record, following its profile's column rules.

The row arrives as the harvester stored it: a UTF-8 JSON object
``{header: cell}`` in file column order.  Headers are matched after
stripping, collapsing whitespace and case-folding, because Excel users
retype them; of two columns with the same key the one with a value counts.
A row with neither a title nor an object type is refused; every other
problem is a warning naming the column, and unread columns are listed.  Each
value keeps the header of the column it came from (``CoreRecord.provenance``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from harvester.raw import RawRecord, csv_header_key
from mappings.core import (
    ISO_DATE,
    Actor,
    CoreRecord,
    Event,
    LangText,
    Links,
    Measurement,
    Media,
    Place,
    Production,
    Rights,
    SourceInfo,
    Term,
    record_id,
)
from mappings.csv_profiles.cells import (
    ABSOLUTE_URL,
    kind_for,
    licence_uri,
    mime_for,
    one_line,
    parse_measurements,
    resolve_url,
    split_cell,
)
from mappings.csv_profiles.profile import (
    EVENT_TARGETS,
    UNKNOWN_LANG,
    ColumnRule,
    CsvProfile,
    ProfileError,
    load_profile,
)
from mappings.dates import parse_date
from mappings.event_types import EVENT_TYPES_VERSION, event_type
from mappings.iso_dates import parse_iso
from mappings.report import Issue, MappingError, MappingResult

__all__ = ["MAPPING_VERSION", "map_csv_row"]

#: Bumped whenever the same row would map to a different core record
#: (including through the date word tables in mappings/data/date_words.yaml
#: and the event types in mappings/data/event_types.yaml).
#: csv-in/2: field-level provenance; finding / excavation / acquisition columns;
#: an explicit date bound of 0 is "unknown".
MAPPING_VERSION = "csv-in/2"
assert EVENT_TYPES_VERSION == "event-types/1", "bump MAPPING_VERSION"
#: "0", "00": an accounting system's "unknown" in a date column, read as empty ("0000" is 1 BCE).
_ZERO_DATE = re.compile(r"^[+-]?0{1,3}$")

_TERM_FIELDS = frozenset(
    {
        "object_type",
        "classification",
        "materials",
        "techniques",
        "subjects",
        "production.culture",
        "production.period",
    }
)


@dataclass
class _EventDraft:
    """What the columns of one event (a find, an excavation, an acquisition) say."""

    places: list[Place] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    date_display: str | None = None
    name: str | None = None
    sources: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _Draft:
    """Everything the rules found in one row, before it becomes a CoreRecord."""

    terms: dict[str, list[Term]] = field(default_factory=dict)
    scalars: dict[str, str] = field(default_factory=dict)
    titles: list[LangText] = field(default_factory=list)
    descriptions: list[LangText] = field(default_factory=list)
    inscriptions: list[LangText] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    roles: list[Term] = field(default_factory=list)
    role_header: str | None = None
    places: list[Place] = field(default_factory=list)
    measurements: list[Measurement] = field(default_factory=list)
    media: list[Media] = field(default_factory=list)
    published_ids: list[str] = field(default_factory=list)
    rights: dict[str, str] = field(default_factory=dict)
    date_headers: dict[str, str] = field(default_factory=dict)  # target -> header it came from
    events: dict[str, _EventDraft] = field(default_factory=dict)  # event-type key -> its columns
    sources: dict[str, list[str]] = field(default_factory=dict)  # core field path -> headers
    issues: list[Issue] = field(default_factory=list)

    def note(self, field_path: str, header: str) -> None:
        bucket = self.sources.setdefault(field_path, [])
        if header not in bucket:
            bucket.append(header)

    def add_term(self, target: str, term: Term) -> None:
        bucket = self.terms.setdefault(target, [])
        key = {(lang, label.casefold()) for lang, label in term.labels.items()}
        if not any(key == {(la, lb.casefold()) for la, lb in t.labels.items()} for t in bucket):
            bucket.append(term)


def _row_from_payload(raw: RawRecord) -> dict[str, str]:
    try:
        data = json.loads(raw.payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MappingError(raw.museum_id, raw.local_id, "payload", f"not a UTF-8 JSON object of cells: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(raw.museum_id, raw.local_id, "payload", "expected a JSON object {header: cell}")
    return {str(k): "" if v is None else str(v) for k, v in data.items()}


def _profile_for(raw: RawRecord) -> CsvProfile:
    if not raw.format.startswith("csv:") or raw.format == "csv:":
        raise MappingError(raw.museum_id, raw.local_id, "format", f"{raw.format!r} is not csv:<profile>")
    try:
        return load_profile(raw.format.removeprefix("csv:"))
    except ProfileError as exc:
        raise MappingError(raw.museum_id, raw.local_id, "format", str(exc)) from None


#: Where a target's value lands in the core record, when that is not the target itself.
_FIELD_OF = {
    "actors.role": "actors",
    **{f"rights.{part}": "rights" for part in ("uri", "label", "holder", "credit_line")},
}


def _is_date(target: str) -> bool:
    return target.endswith(("date_display", "earliest", "latest"))


def _apply_event(rule: ColumnRule, header: str, value: str, lang: str, draft: _Draft) -> None:
    key, part = rule.field.split(".", 1)
    event = draft.events.setdefault(key, _EventDraft())
    if part == "places":
        event.places += [Place(name=one_line(name)) for name in split_cell(value, rule.split)]
    elif part == "actors":
        event.actors += [Actor(name=one_line(name), role=rule.role) for name in split_cell(value, rule.split)]
    elif part == "date_display":
        event.date_display = event.date_display or one_line(value)
    else:
        event.name = event.name or one_line(value)
    event.sources.setdefault(part, []).append(header)


def _apply(rule: ColumnRule, header: str, value: str, lang: str, museum_id: str, draft: _Draft) -> None:
    target = rule.field
    where = f"{target} («{header}»)"
    if target.split(".", 1)[0] in EVENT_TARGETS:
        _apply_event(rule, header, value, lang, draft)
        return
    draft.note(_FIELD_OF.get(target, target), header)
    if target in _TERM_FIELDS:
        for part in split_cell(value, rule.split):
            draft.add_term(target, Term(labels={lang: one_line(part)}))
    elif target in ("inventory_number", "repository", "links.object_page"):
        text = one_line(value)
        if target == "links.object_page":
            url, note = resolve_url(text, rule.template, museum_id, file_name=False)
            if note:
                draft.issues.append(Issue(where, note, "warning" if url is None else "info"))
            if url is None:
                return
            text = url
        if target in draft.scalars and draft.scalars[target] != text:
            draft.issues.append(Issue(where, f"ignored «{text}»: already «{draft.scalars[target]}»"))
            return
        draft.scalars[target] = text
    elif target in ("titles", "descriptions", "inscriptions"):
        texts: list[LangText] = getattr(draft, target)
        parts = split_cell(value, rule.split) if rule.split else [value.strip()]
        for part in parts:
            text = one_line(part) if target == "titles" else part.replace("\r\n", "\n").strip()
            if not any(t.value == text and t.lang == lang for t in texts):
                texts.append(LangText(value=text, lang=lang, preferred=not texts and target == "titles"))
    elif target == "actors":
        for name in split_cell(value, rule.split):
            draft.actors.append(Actor(name=one_line(name), role=rule.role))
    elif target == "actors.role":
        draft.roles = [Term(labels={lang: one_line(p)}) for p in split_cell(value, rule.split)]
        draft.role_header = header
    elif target == "production.places":
        for name in split_cell(value, rule.split):
            draft.places.append(Place(name=one_line(name)))
    elif target in ("production.date_display", "production.earliest", "production.latest"):
        draft.scalars.setdefault(target, one_line(value))
        draft.date_headers.setdefault(target, header)
    elif target == "measurements":
        display = one_line(value)
        typed = parse_measurements(display, rule.axes)
        draft.measurements.append(Measurement(display=display))
        draft.measurements.extend(typed)
        if not typed:
            draft.issues.append(Issue(where, f"kept «{display}» as display text; no dimensions read from it", "info"))
    elif target.startswith("rights"):
        text = one_line(value)
        if target != "rights":
            draft.rights.setdefault(target.removeprefix("rights."), text)
        elif ABSOLUTE_URL.match(text):
            draft.rights.setdefault("uri", text)
        else:
            draft.rights.setdefault("label", text)
            licence = licence_uri(text)
            if licence:
                draft.rights.setdefault("uri", licence)
    elif target in ("media", "links.published_ids"):
        for part in split_cell(value, rule.split):
            url, note = resolve_url(part, rule.template, museum_id, file_name=target == "media")
            if note:
                draft.issues.append(Issue(where, note, "warning" if url is None else "info"))
            if url is None:
                continue
            if target == "links.published_ids":
                if url not in draft.published_ids:
                    draft.published_ids.append(url)
                continue
            mime = mime_for(url)
            kind = rule.kind or kind_for(mime)
            if not any(m.url == url for m in draft.media):
                draft.media.append(Media(url=url, kind=kind, mime=mime))


def _date_bounds(draft: _Draft) -> tuple[str | None, str | None]:
    """Earliest/latest: parsed from the display date, overridden by explicit columns."""
    earliest: str | None = None
    latest: str | None = None
    display = draft.scalars.get("production.date_display")
    origin: dict[str, str] = {}
    if display:
        parsed = parse_date(display)
        header = draft.date_headers["production.date_display"]
        if parsed is None:
            draft.issues.append(Issue(f"production.date_display («{header}»)", f"no date range read from «{display}»"))
        else:
            earliest, latest = parsed.earliest, parsed.latest
            origin = {"earliest": header, "latest": header}
    for bound in ("earliest", "latest"):
        target = f"production.{bound}"
        value = draft.scalars.get(target)
        if not value:
            continue
        header = draft.date_headers[target]
        origin[bound] = header
        if not ISO_DATE.match(value):
            parsed = parse_date(value)
            value = (parsed.earliest if bound == "earliest" else parsed.latest) if parsed else None
            if value is None:
                draft.issues.append(Issue(f"{target} («{header}»)", "not a date"))
                continue
        if bound == "earliest":
            earliest = value
        else:
            latest = value
    for name, value in (("earliest", earliest), ("latest", latest)):
        if value is not None and not ISO_DATE.match(value):
            draft.issues.append(Issue(f"production.{name}", f"date parser gave non-ISO {value!r}"))
            if name == "earliest":
                earliest = None
            else:
                latest = None
    if earliest and latest and parse_iso(earliest).year > parse_iso(latest).year:
        draft.issues.append(Issue("production", f"earliest {earliest} is after latest {latest}; swapped them"))
        earliest, latest = latest, earliest
        origin = {"earliest": origin.get("latest", ""), "latest": origin.get("earliest", "")}
    draft.sources.pop("production.earliest", None)
    draft.sources.pop("production.latest", None)
    for bound, value in (("earliest", earliest), ("latest", latest)):
        if value and origin.get(bound):
            draft.note(f"production.{bound}", origin[bound])
    return earliest, latest


def _production(draft: _Draft) -> Production | None:
    earliest, latest = _date_bounds(draft)
    display = draft.scalars.get("production.date_display")
    culture = draft.terms.get("production.culture", [])
    period = draft.terms.get("production.period", [])
    if not (display or earliest or latest or draft.places or culture or period):
        return None
    return Production(
        date_display=display,
        earliest=earliest,
        latest=latest,
        places=draft.places,
        culture=culture,
        period=period,
    )


def _events(draft: _Draft) -> list[Event]:
    """The finding, excavation and acquisition columns as events, in that order."""
    events: list[Event] = []
    for key in EVENT_TARGETS:
        found = draft.events.get(key)
        if found is None:
            continue
        earliest = latest = None
        if found.date_display:
            parsed = parse_date(found.date_display)
            if parsed is None:
                headers = ", ".join(f"«{h}»" for h in found.sources.get("date_display", []))
                draft.issues.append(
                    Issue(f"{key}.date_display ({headers})", f"no date read from «{found.date_display}»")
                )
            else:
                earliest = parsed.earliest if parsed.earliest and ISO_DATE.match(parsed.earliest) else None
                latest = parsed.latest if parsed.latest and ISO_DATE.match(parsed.latest) else None
        number = len(events)
        events.append(
            Event(
                type=event_type(key).term(),
                name=found.name,
                actors=found.actors,
                date_display=found.date_display,
                earliest=earliest,
                latest=latest,
                places=found.places,
            )
        )
        sources = dict(found.sources)
        if earliest:
            sources["earliest"] = sources.get("date_display", [])
        if latest:
            sources["latest"] = sources.get("date_display", [])
        for part, columns in sources.items():
            for column in columns:
                draft.note(f"events[{number}].{part}", column)
    return events


def _assign_roles(draft: _Draft) -> None:
    """Pair a role column with the actors: one role for all, or one role per actor."""
    if not draft.roles:
        return
    where = f"actors.role («{draft.role_header}»)"
    if not draft.actors:
        draft.issues.append(Issue(where, "a role is given but no actor"))
    elif len(draft.roles) == 1:
        draft.actors = [a.model_copy(update={"role": draft.roles[0]}) for a in draft.actors]
    elif len(draft.roles) == len(draft.actors):
        draft.actors = [a.model_copy(update={"role": r}) for a, r in zip(draft.actors, draft.roles, strict=True)]
    else:
        draft.issues.append(Issue(where, f"{len(draft.roles)} roles for {len(draft.actors)} actors; roles ignored"))


@dataclass(frozen=True, slots=True)
class _Plan:
    """Which column each rule reads, for one profile and one header row, worked out once.

    Every row of an export has the same headers, so matching them to the
    profile's rules (header keys, aliases, languages, which rules are dates)
    is done for the first row and reused; only a header row with two columns
    of the same key is matched row by row, as the one with a value counts.
    """

    reads: tuple[tuple[ColumnRule, str, str, bool], ...]  # rule, header, language, is a date rule
    unmapped: tuple[str, ...]


_PLANS: dict[tuple[int, tuple[str, ...]], tuple[CsvProfile, _Plan]] = {}
_PLANS_KEPT = 256


def _make_plan(profile: CsvProfile, row: dict[str, str]) -> _Plan:
    header_by_key: dict[str, str] = {}
    for column in row:
        key = csv_header_key(column)
        if key not in header_by_key or not row[header_by_key[key]].strip():
            header_by_key[key] = column
    default_lang = profile.lang or UNKNOWN_LANG
    reads: list[tuple[ColumnRule, str, str, bool]] = []
    for rule in profile.columns:
        header = next((header_by_key[k] for k in rule.header_keys if k in header_by_key), None)
        if header is not None:
            reads.append((rule, header, rule.lang or default_lang, _is_date(rule.field)))
    known = profile.known_headers()
    return _Plan(tuple(reads), tuple(h for h in row if csv_header_key(h) not in known))


def _plan(profile: CsvProfile, row: dict[str, str]) -> _Plan:
    """The row's plan: cached by profile and header row unless two headers share a key."""
    headers = tuple(row)
    cache_key = (id(profile), headers)
    cached = _PLANS.get(cache_key)
    if cached is not None and cached[0] is profile:
        return cached[1]
    plan = _make_plan(profile, row)
    if len({csv_header_key(h) for h in headers}) == len(headers):
        if len(_PLANS) >= _PLANS_KEPT:
            _PLANS.clear()
        _PLANS[cache_key] = (profile, plan)
    return plan


def map_csv_row(raw: RawRecord, profile: CsvProfile | None = None) -> MappingResult:
    """One CSV row (as the harvester stored it) to a core record, with what was left out."""
    profile = profile or _profile_for(raw)
    if not raw.local_id.strip():
        raise MappingError(raw.museum_id, raw.local_id, "local_id", "the row has no id")
    row = _row_from_payload(raw)
    plan = _plan(profile, row)
    draft = _Draft()
    for rule, header, lang, is_date in plan.reads:
        value = row[header].strip()
        if value and not (is_date and _ZERO_DATE.match(value)):
            _apply(rule, header, value, lang, raw.museum_id, draft)
    _assign_roles(draft)

    if not draft.titles and not draft.terms.get("object_type"):
        wanted = [r.column[0] for r in profile.columns if r.field in ("titles", "object_type")]
        names = ", ".join(f"«{c}»" for c in wanted) or "none in profile " + profile.name
        raise MappingError(
            raw.museum_id,
            raw.local_id,
            "titles",
            f"neither a title nor an object type has a value (columns {names})",
        )

    unmapped = list(plan.unmapped)
    rights = Rights(**draft.rights) if draft.rights else None
    try:
        record = CoreRecord(
            id=record_id(raw.museum_id, raw.local_id),
            museum_id=raw.museum_id,
            local_id=raw.local_id,
            inventory_number=draft.scalars.get("inventory_number"),
            repository=draft.scalars.get("repository"),
            object_type=draft.terms.get("object_type", []),
            classification=draft.terms.get("classification", []),
            titles=draft.titles,
            descriptions=draft.descriptions,
            inscriptions=draft.inscriptions,
            actors=draft.actors,
            production=_production(draft),
            events=_events(draft),
            materials=draft.terms.get("materials", []),
            techniques=draft.terms.get("techniques", []),
            measurements=draft.measurements,
            subjects=draft.terms.get("subjects", []),
            rights=rights,
            media=draft.media,
            links=Links(
                published_ids=draft.published_ids,
                object_page=draft.scalars.get("links.object_page"),
            ),
            source=SourceInfo(
                format=raw.format,
                datestamp=raw.datestamp,
                harvested_at=raw.harvested_at,
                mapping_version=MAPPING_VERSION,
            ),
            provenance=draft.sources,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "record"
        raise MappingError(raw.museum_id, raw.local_id, where, first.get("msg", str(exc))) from None
    return MappingResult(record=record, issues=draft.issues, unmapped=unmapped)
