"""Text messages through one small interface: a fake that keeps what it sent (tests, the demo) and one HTTP
provider configured by settings (SMS_BACKEND = "http", SMS_URL, SMS_TOKEN, SMS_SENDER). A message is at most 160
characters and never names health: it says there is news and where to read it."""

import json
import urllib.request
from typing import ClassVar, Protocol

from django.conf import settings

LIMIT = 160
# Words a text must never carry: a phone's lock screen is not private.
SENSITIVE = ("salute", "malatt", "disabil", "diagnos", "terapi", "sanitar", "medic", "psic", "dipendenz", "health")


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class FakeSms:
    """Keeps every message in `outbox` (phone, text): for tests and the demo."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        FakeSms.outbox.append((phone, text))


class HttpSms:
    """A provider's JSON API: POST {"to", "from", "text"} with a bearer token; any non-2xx is an error."""

    def __init__(self, url: str, token: str, sender: str) -> None:
        if not url.startswith("https://"):
            raise ValueError("SMS_URL must be an https:// address.")
        self.url, self.token, self.sender = url, token, sender

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"to": phone, "from": self.sender, "text": text}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)  # noqa: S310 (https only)
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the URL comes from settings)
            if response.status >= 300:
                raise OSError(f"SMS provider answered {response.status}")


def sms_sender() -> SmsSender:
    if getattr(settings, "SMS_BACKEND", "fake") == "http":
        return HttpSms(settings.SMS_URL, settings.SMS_TOKEN, getattr(settings, "SMS_SENDER", "Welfare"))
    return FakeSms()


def sms_text(subject: str, link: str) -> str:
    """ "Welfare Integrato: <subject>. <link>" within 160 characters; a subject naming health is replaced."""
    if any(word in subject.lower() for word in SENSITIVE):
        subject = "hai una novità"
    text = f"Welfare Integrato: {subject.strip().rstrip('.')}. {link}"
    if len(text) > LIMIT:
        room = LIMIT - len(link) - len("Welfare Integrato: … ")
        text = f"Welfare Integrato: {subject[: max(room, 0)].rstrip()}… {link}"
    return text[:LIMIT]
