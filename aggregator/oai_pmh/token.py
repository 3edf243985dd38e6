"""The OAI-PMH resumption token of our data providers: the list position, carried by the client.

Stateless on purpose: the token holds the request (prefix, from, until, set)
and the (datestamp, id) of the last item sent, so any server process can
answer it, a restart does not expire it, and asking twice with the same token
gives the same page (FACTS §4, idempotency).  Items are listed in
(datestamp, id) order, so a record changed during a harvest moves behind the
position and is still delivered, later, with its new datestamp.  The token is
opaque to clients (base64url of JSON), but not secret: it only names a
position in a public list.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

__all__ = ["BadToken", "ListPosition"]

_VERSION = 1
_MAX_TOKEN_LENGTH = 4000


class BadToken(ValueError):
    """A token we did not issue, or one that was altered."""


def _str_or_none(value: object, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BadToken(f"token field {name} has the wrong type")


@dataclass(frozen=True, slots=True)
class ListPosition:
    metadata_prefix: str
    from_: str | None
    until: str | None
    set_spec: str | None
    last_stamp: datetime  # full precision, as stored: the keyset position
    last_id: str
    cursor: int  # items delivered before the next page (OAI-PMH's cursor)

    def encode(self) -> str:
        data = {
            "v": _VERSION,
            "p": self.metadata_prefix,
            "f": self.from_,
            "u": self.until,
            "s": self.set_spec,
            "t": self.last_stamp.isoformat(),
            "i": self.last_id,
            "c": self.cursor,
        }
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str) -> ListPosition:
        if not token or len(token) > _MAX_TOKEN_LENGTH:
            raise BadToken("the token is empty or too long")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            data = json.loads(raw.decode("utf-8"))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise BadToken("the token is not one this repository issued") from None
        if not isinstance(data, dict) or data.get("v") != _VERSION:
            raise BadToken("the token is not one this repository issued")
        prefix, last_id, cursor, stamp = data.get("p"), data.get("i"), data.get("c"), data.get("t")
        if not isinstance(prefix, str) or not isinstance(last_id, str) or not isinstance(stamp, str):
            raise BadToken("the token is incomplete")
        if not isinstance(cursor, int) or isinstance(cursor, bool) or cursor < 0:
            raise BadToken("the token's cursor is not a count")
        try:
            last_stamp = datetime.fromisoformat(stamp)
        except ValueError:
            raise BadToken("the token's position is not a timestamp") from None
        return cls(
            metadata_prefix=prefix,
            from_=_str_or_none(data.get("f"), "from"),
            until=_str_or_none(data.get("u"), "until"),
            set_spec=_str_or_none(data.get("s"), "set"),
            last_stamp=last_stamp,
            last_id=last_id,
            cursor=cursor,
        )
