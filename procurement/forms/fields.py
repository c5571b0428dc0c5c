"""Form fields shared by the procurement and evaluation pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# Row ids are 64-bit integers; SQLite raises OverflowError (a 500) on a larger one inside `pk__in`.
MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """A row id typed into a URL or form (`"42"`), or None for anything else: not digits, or beyond the
    integer range (Python refuses to read more than 4,300 digits; the database stores 64 bits)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses an id beyond the integer range as an invalid choice."""

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                number = int(str(pk).strip())
            except ValueError:
                continue  # not an id at all: the parent class reports it
            if not -MAX_ID <= number <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
