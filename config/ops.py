"""How the nightly harvest is watched: alert thresholds, where the morning report goes, schedule grace.

Everything comes from the environment, like the rest of the settings:

``EMUSEUM_SMTP_HOST`` / ``EMUSEUM_SMTP_PORT`` (25) / ``EMUSEUM_SMTP_USER`` / ``EMUSEUM_SMTP_PASSWORD`` /
``EMUSEUM_SMTP_STARTTLS`` (``true`` to upgrade the connection)
    the mail server the report and alerts are sent through; no host, no e-mail.
``EMUSEUM_REPORT_FROM`` / ``EMUSEUM_REPORT_TO``
    the sender and the comma-separated recipients.
``EMUSEUM_REPORT_WEBHOOK``
    a URL the report's and the alerts' JSON is POSTed to (a chat bridge, a ticket system).
``EMUSEUM_REPORT_LANG``
    kk, ru or en: the language of what is sent (default kk).
``EMUSEUM_ALERT_FAILED_NIGHTS``
    a museum failing this many runs in a row raises an alert (default 3).
``EMUSEUM_ALERT_SLOWDOWN``
    an endpoint whose median response time grew by this factor over its
    recent runs raises an alert (default 2.0).
``EMUSEUM_ALERT_INDEX_DRIFT``
    the index may differ from the store by this many records (default 10)
    before an alert is raised.
``EMUSEUM_SCHEDULE_GRACE_SECONDS``
    a scheduled pass missed while the scheduler was down is still run at
    start-up when it is at most this old (default 21600, six hours).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from config.errors import ConfigError

__all__ = ["AlertLimits", "Delivery", "OpsSettings", "load_ops_settings"]

LANGS = ("kk", "ru", "en")


@dataclass(frozen=True, slots=True)
class AlertLimits:
    failed_nights: int = 3
    slowdown: float = 2.0
    index_drift: int = 10


@dataclass(frozen=True, slots=True)
class Delivery:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    sender: str = "emuseum@localhost"
    recipients: tuple[str, ...] = ()
    webhook: str | None = None
    lang: str = "kk"

    @property
    def email(self) -> bool:
        return bool(self.smtp_host and self.recipients)


@dataclass(frozen=True, slots=True)
class OpsSettings:
    alerts: AlertLimits = field(default_factory=AlertLimits)
    delivery: Delivery = field(default_factory=Delivery)
    schedule_grace: float = 6 * 3600.0


def _number(environ: Mapping[str, str], name: str, default: float, *, whole: bool = False) -> float:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value) if whole else float(value)
    except ValueError:
        number = -1
    if number <= 0:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{name}: {value!r} is not {kind} above 0")
    return number


def load_ops_settings(environ: Mapping[str, str]) -> OpsSettings:
    lang = environ.get("EMUSEUM_REPORT_LANG", "kk").strip() or "kk"
    if lang not in LANGS:
        raise ConfigError(f"EMUSEUM_REPORT_LANG: {lang!r} is not one of {', '.join(LANGS)}")
    recipients = tuple(a.strip() for a in environ.get("EMUSEUM_REPORT_TO", "").split(",") if a.strip())
    delivery = Delivery(
        smtp_host=environ.get("EMUSEUM_SMTP_HOST", "").strip() or None,
        smtp_port=int(_number(environ, "EMUSEUM_SMTP_PORT", 25, whole=True)),
        smtp_user=environ.get("EMUSEUM_SMTP_USER") or None,
        smtp_password=environ.get("EMUSEUM_SMTP_PASSWORD") or None,
        smtp_starttls=environ.get("EMUSEUM_SMTP_STARTTLS", "").strip().lower() in ("1", "true", "yes"),
        sender=environ.get("EMUSEUM_REPORT_FROM", "").strip() or "emuseum@localhost",
        recipients=recipients,
        webhook=environ.get("EMUSEUM_REPORT_WEBHOOK", "").strip() or None,
        lang=lang,
    )
    alerts = AlertLimits(
        failed_nights=int(_number(environ, "EMUSEUM_ALERT_FAILED_NIGHTS", 3, whole=True)),
        slowdown=_number(environ, "EMUSEUM_ALERT_SLOWDOWN", 2.0),
        index_drift=int(_number(environ, "EMUSEUM_ALERT_INDEX_DRIFT", 10, whole=True)),
    )
    grace = _number(environ, "EMUSEUM_SCHEDULE_GRACE_SECONDS", 6 * 3600.0)
    return OpsSettings(alerts=alerts, delivery=delivery, schedule_grace=grace)
