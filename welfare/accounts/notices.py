"""Notifications to residents, by the channel each chose: one function for every event that tells a resident
something. Email goes out at once (after commit); phone, letter and SMS become a `Notice` that outreach turns into
a call for the Social Point, a letter in the daily batch, or a text message. A resident without an email address
gets every notification the others get."""

from welfare.accounts.models import CitizenProfile, Notice, User
from welfare.lib.mail import has_real_email, send_after_commit

Channel = CitizenProfile.ContactChannel


def channel_of(user: User) -> str:
    """How this person is reached: their chosen channel; email for staff; never an email they do not have."""
    profile = CitizenProfile.objects.filter(user=user).first()
    channel = profile.contact_channel if profile is not None else Channel.EMAIL
    if channel == Channel.EMAIL and not has_real_email(user.email):
        if profile is not None and profile.postal_address:
            return Channel.LETTER
        return Channel.PHONE  # their Social Point calls them
    return channel


def notify_resident(user: User, template: str, context: dict[str, str], language: str | None = None) -> None:
    """Tell `user` about an event: `template` names the email (`<template>_subject.txt`, `_message.txt`)."""
    language = language or user.preferred_language
    channel = channel_of(user)
    if channel == Channel.EMAIL:
        send_after_commit(template, user.email, context, language)
        return
    Notice.objects.create(user=user, channel=channel, template=template, context=context, language=language)
