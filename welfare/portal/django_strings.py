"""Django 6.1's strings that its own Italian catalogue does not translate yet (new or reworded in 6.1).

Listed here so that `make messages` puts them in our catalogue, which Django reads before its own
(LOCALE_PATHS): the Italian interface then shows no English. Remove a line once Django translates it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

STRINGS = [
    gettext_noop("- Select an option -"),  # django.db.models.fields.BLANK_CHOICE_LABEL, the empty choice of a select
    gettext_noop("Enter a valid domain name."),
    gettext_noop("Enter a valid %(protocol)s address."),
]
PLURALS = [
    # django.contrib.auth.password_validation.MinimumLengthValidator.get_error_message
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "n",
    ),
]
