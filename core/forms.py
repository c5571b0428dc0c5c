"""Form pieces every app's pages share: the date widget, putting a service's ValidationError on a form, and
reading row ids typed into URLs and forms."""

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


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has that field,
    otherwise above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    form.add_error(name if name in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
