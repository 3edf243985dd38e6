"""Sending the morning report and the alerts: e-mail over SMTP and/or a JSON POST to a webhook.

Both are optional (``config.ops``).  A channel that fails costs a line in
the log and in the report's ``delivered`` list, never the night's harvest:
the report stays in the store and ``emuseum report`` shows it.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any

import requests

from config.ops import Delivery

__all__ = ["deliver", "post_webhook", "send_email"]

log = logging.getLogger("emuseum.ops.delivery")

_TIMEOUT = 20.0


def send_email(delivery: Delivery, subject: str, text: str, html: str | None = None) -> None:
    """One message to every recipient; raises OSError / smtplib.SMTPException on failure."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = delivery.sender
    message["To"] = ", ".join(delivery.recipients)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    assert delivery.smtp_host is not None
    with smtplib.SMTP(delivery.smtp_host, delivery.smtp_port, timeout=_TIMEOUT) as smtp:
        if delivery.smtp_starttls:
            smtp.starttls()
        if delivery.smtp_user:
            smtp.login(delivery.smtp_user, delivery.smtp_password or "")
        smtp.send_message(message)


def post_webhook(url: str, payload: dict[str, Any]) -> None:
    """POST the payload as JSON; raises requests.RequestException on a failure or a non-2xx answer."""
    response = requests.post(url, json=payload, timeout=_TIMEOUT)
    response.raise_for_status()


def deliver(delivery: Delivery, subject: str, text: str, html: str | None, payload: dict[str, Any]) -> list[list[str]]:
    """Send over every configured channel; ``[[channel, "sent" | "failed: why"], ...]``."""
    outcomes: list[list[str]] = []
    if delivery.email:
        try:
            send_email(delivery, subject, text, html)
            outcomes.append(["email", "sent"])
        except (OSError, smtplib.SMTPException) as exc:
            log.error("e-mail to %s failed: %s", ", ".join(delivery.recipients), exc)
            outcomes.append(["email", f"failed: {exc}"])
    if delivery.webhook:
        try:
            post_webhook(delivery.webhook, payload)
            outcomes.append(["webhook", "sent"])
        except requests.RequestException as exc:
            log.error("webhook %s failed: %s", delivery.webhook, exc)
            outcomes.append(["webhook", f"failed: {exc}"])
    return outcomes
