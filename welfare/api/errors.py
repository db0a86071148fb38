"""The one error shape of both APIs: {"code": a stable word, "message": a sentence, "field": the input at fault
or null, "detail": anything more (the validation errors, the row problems)}."""

from typing import Any


def error_body(code: str, message: str, field: str | None = None, detail: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "detail": detail if detail is not None else message}


def field_of(errors: list[dict[str, Any]]) -> str | None:
    """The first input a ninja/pydantic validation error names (the last part of its location)."""
    for item in errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "data")]
        if location:
            return location[-1]
    return None
