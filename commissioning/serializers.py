"""The API says the long-text limit as the forms do (issue 14): "Enter 20,000 characters or
fewer", not DRF's "Ensure this field has no more than 20000 characters.".

`LongTextField` is a DRF CharField limited to LONG_TEXT with the forms' validator
(`limits.LongTextValidator`), so a too-long value is refused at validation, beside its field,
before any service runs, and the OpenAPI schema states the limit (`maxLength`). `install()`,
called from `CommissioningConfig.ready()`, maps every model TextField to it in
ModelSerializer's field mapping, so a ModelSerializer that takes text in says the same; a plain
Serializer declares `LongTextField()` for its free-text inputs. Text that reaches a save any
other way is still refused by `limits.check_text_lengths` with the same words.
"""

from django.core.validators import MaxLengthValidator
from django.db import models
from rest_framework import serializers

from .limits import LONG_TEXT, LongTextValidator


class LongTextField(serializers.CharField):
    """Free text of at most `max_length` (LONG_TEXT unless said) characters, refused in the
    forms' words."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT)
        super().__init__(**kwargs)
        if self.max_length is not None:
            # DRF's own length check, with its wording, gives way to the forms' one.
            kept = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
            self.validators = [*kept, LongTextValidator(self.max_length)]


def install() -> None:
    """Every ModelSerializer maps a model TextField to LongTextField (its `max_length` comes
    from the model field, as DRF passes it)."""
    mapping = serializers.ModelSerializer.serializer_field_mapping
    if mapping.get(models.TextField) is not LongTextField:
        serializers.ModelSerializer.serializer_field_mapping = {
            **mapping,
            models.TextField: LongTextField,
        }
