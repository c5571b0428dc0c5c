from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .models import ServiceCategory
from .selectors import edition_list, service_item_all, service_item_list


@login_required
def item_list(request):
    """The catalogue browser: search and filter sub-items by edition, category and level."""
    items, filterset = service_item_list(user=request.user, filters=request.GET)
    edition = filterset.form.cleaned_data.get("edition") if filterset.is_valid() else None
    context = {
        "items": items,
        "filter": filterset,
        "edition": edition,
        "editions": edition_list(user=request.user),
        "category_kinds": ServiceCategory.Kind.choices,
    }
    template = "catalog/partials/_item_table.html" if request.htmx else "catalog/item_list.html"
    return render(request, template, context)


@login_required
def item_detail(request, pk: int):
    item = get_object_or_404(service_item_all(user=request.user), pk=pk)
    return render(request, "catalog/item_detail.html", {"item": item})
