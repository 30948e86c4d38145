"""Shared form rendering: Bootstrap classes on every widget, errors under each field."""

from django import forms
from django.contrib import messages
from django.forms.renderers import DjangoTemplates


class BootstrapRenderer(DjangoTemplates):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class StyledFormMixin:
    """Gives each widget the Bootstrap class it needs; mixed into every form of the site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
                # Django puts this class on the wrapping <div> and on every <input>.
                css = "sg-choice"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class Form(StyledFormMixin, forms.Form):
    pass


class FormSet(forms.BaseFormSet):
    """Formsets whose 删除 box is styled like the other checkboxes."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "删除此项"
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


class ModelForm(StyledFormMixin, forms.ModelForm):
    pass


def add_service_errors(form, error):
    """Show a ValidationError raised by a service on the form, field by field."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def error_messages(request, error):
    """Show a service's refusal (ValidationError or PermissionDenied) as error messages."""
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)
