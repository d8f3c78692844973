"""Template helpers: Bootstrap classes on form widgets, query-string building, points."""

from django import forms, template
from django.utils.html import format_html

from kaohe.lib import dates, once
from kaohe.lib.numbers import points_text, share_text

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class that fits it."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css} if css else None)


@register.filter
def is_checkbox(field) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


# Points to two places, half up (exact values are kept for ranking).
points = register.filter("points", points_text)
# A figure already in percent (0–100), two places half up.
share = register.filter("share", share_text)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def query(context, **kwargs):
    """The current query string with some parameters replaced (empty ones removed)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        params.pop(key, None)
        if value not in (None, ""):
            params[key] = value
    params.pop("page", None) if "page" not in kwargs else None
    return "?" + params.urlencode() if params else "?"


@register.simple_tag
def once_token():
    """The hidden one-time token of a create form: a double submit records once
    (``kaohe.lib.once``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', once.FIELD, once.new_token())


@register.filter
def cn_date(value) -> str:
    """A date (or an ISO date string, as stored in a bulletin's content) as 2015年10月31日."""
    return dates.cn_date(value)
