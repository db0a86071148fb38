"""Email to people, in their language, sent by the background worker after the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task()
def send_templated_email(template: str, to: list[str], context: dict[str, str], language: str) -> None:
    """Render `<template>_subject.txt` and `<template>_message.txt` in `language` and send them."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}_message.txt", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    message.send()


@task()
def send_rendered_email(subject: str, body: str, html: str, to: list[str], from_email: str) -> None:
    """Send an email rendered at request time (allauth's account emails), from the background worker."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


# Residents registered at a Social Point without an email get an address in this reserved domain
# (RFC 2606: `.invalid` never resolves); nothing is ever sent there.
NO_EMAIL_DOMAIN = "senza-email.invalid"


def has_real_email(address: str) -> bool:
    return bool(address) and not address.lower().endswith("@" + NO_EMAIL_DOMAIN)


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """A portal path as the full address people follow from an email or a printed page: at PORTAL_URL, or, in
    the demo (DEBUG) when a page is being answered, at the address that page was read at (whatever port `make
    run` uses). Production never trusts the request's Host for this."""
    if request is not None and settings.DEBUG:
        return request.build_absolute_uri(path)
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"


def send_after_commit(template: str, to: str, context: dict[str, str], language: str) -> None:
    """Queue an email once the current transaction commits (immediately when there is none)."""
    if not has_real_email(to):
        return
    transaction.on_commit(lambda: send_templated_email.enqueue(template, [to], context, language))
