"""Form helpers shared by the feature forms."""

from __future__ import annotations

from wtforms import SelectMultipleField, widgets


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (themes), accessible as a fieldset."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def apply_service_errors(form, field_errors: dict[str, list[str]]) -> None:
    """Show a service's per-field messages next to the form's fields."""
    for name, messages in field_errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
