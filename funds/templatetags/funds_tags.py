"""Template pieces other apps' pages show without importing funds (templates load this library by name):
the money paid on a package, for the evaluator's workspace."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("funds/partials/_package_paid.html")
def package_paid(package):
    """F3: contract value, paid so far, and each instalment's state (held ones with the reason)."""
    return {"money": selectors.package_paid_summary(package)}
