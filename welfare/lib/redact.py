"""No personal value reaches a log: codici fiscali and email addresses are masked in every record, whatever
wrote it (a database error's DETAIL line quotes the row's values; a library may log what it was given)."""

import logging
import re

# Sixteen characters shaped like a codice fiscale, omocodia variants included (digits replaced by letters).
CODICE_FISCALE = re.compile(
    r"(?<![A-Z0-9])[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z](?![A-Z0-9])",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    return EMAIL.sub("[email]", CODICE_FISCALE.sub("[codice fiscale]", text))


class RedactPersonalData(logging.Filter):
    """A handler filter: rewrites the record's message and its traceback text with the values masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: let the handler report it as it would
            return True
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # Formatters (the JSON one included) print exc_text when exc_info is gone, instead of formatting the
            # traceback again from the exception, unmasked.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name, value in vars(record).items():  # fields a caller added with `extra`
            if name not in STANDARD_FIELDS and isinstance(value, str):
                setattr(record, name, redact(value))
        return True


STANDARD_FIELDS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
