"""Small helpers shared by the forms and views of both apps."""

from django import forms
from django.core.exceptions import ValidationError

MAX_ID = 2**63 - 1  # the largest id any database here stores; a longer number is no id


def is_id(value) -> bool:
    """Whether ``value`` can be a row's id: a whole number the database can hold."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return 0 < number <= MAX_ID


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database holds as an invalid choice: Django's own check
    passes it on to an ``__in`` query, where SQLite raises OverflowError (a 500)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if not self.to_field_name and not is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def apply_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has that field,
    otherwise as a form-wide error."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
