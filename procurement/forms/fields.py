"""Form fields shared by the procurement and evaluation pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

# Row ids are 64-bit integers; SQLite raises OverflowError (a 500) on a larger one inside `pk__in`.
MAX_ID = 2**63 - 1


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
