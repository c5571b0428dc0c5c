"""core.admin.FrozenOnceInUseMixin: in the bureau's admin, a catalogue edition (C4), a two-way indicator set (A1)
and a rubric (A3) in use cannot be changed, deleted (one by one or in bulk) or given new parts."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from core.versioning import mark_in_use
from evaluation.models import RubricDimension

from .test_versioning import KINDS, build, small_edition

pytestmark = pytest.mark.django_db


def _url(obj, view: str, *args) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("kind", KINDS)
def test_c4_a1_a3_admin_refuses_to_change_or_delete_a_frozen_object(client, bureau, kind):
    obj = build(kind, bureau)
    client.force_login(bureau)
    change = _url(obj, "change", obj.pk)
    assert 'name="_save"' in client.get(change).content.decode()  # open until used
    mark_in_use(obj)
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"code": "renamed", "name_zh": "改名"}).status_code == 403
    assert client.post(_url(obj, "delete", obj.pk), {"post": "yes"}).status_code == 403
    client.post(_url(obj, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"})
    obj.refresh_from_db()
    assert obj.code != "renamed"


@pytest.mark.parametrize("kind", ["rubric", "indicator_set"])  # an edition's parts: the next test
def test_a1_a3_admin_inlines_add_change_and_delete_no_parts_of_a_frozen_object(bureau, kind):
    obj = build(kind, bureau)
    request = RequestFactory().get("/")
    request.user = bureau
    model_admin = admin.site._registry[type(obj)]
    inlines = model_admin.get_inline_instances(request, obj)
    assert inlines and all(i.has_add_permission(request, obj) for i in inlines)
    mark_in_use(obj)
    for inline in model_admin.get_inline_instances(request, obj):
        assert not inline.has_add_permission(request, obj), inline
        assert not inline.has_change_permission(request, obj), inline
        assert not inline.has_delete_permission(request, obj), inline


def test_c4_admin_offers_only_editions_not_in_use_for_new_categories_items_and_tasks(client, bureau):
    edition = small_edition(bureau)
    open_edition = small_edition(bureau, code="v-open")
    mark_in_use(edition)
    client.force_login(bureau)
    for model, field in (("servicecategory", "edition"), ("serviceitem", "edition"), ("serviceitem", "category")):
        form = client.get(reverse(f"admin:catalog_{model}_add")).context["adminform"].form
        choices = form.fields[field].queryset
        frozen = choices.filter(pk=edition.pk) if field == "edition" else choices.filter(edition=edition)
        assert not frozen.exists(), (model, field)
        assert choices.filter(pk=open_edition.pk).exists() or choices.filter(edition=open_edition).exists()
    form = client.get(reverse("admin:catalog_servicetask_add")).context["adminform"].form
    assert not form.fields["item"].queryset.filter(edition=edition).exists()
    response = client.post(
        reverse("admin:catalog_servicecategory_add"),
        {"edition": edition.pk, "code": "NEW", "kind": "basic", "name_zh": "新类别", "name_en": "New", "order": 9},
    )
    assert response.status_code == 200 and not edition.categories.filter(code="NEW").exists()


def test_a3_admin_refuses_to_change_a_dimension_of_a_rubric_in_use(client, bureau):
    rubric = build("rubric", bureau)
    dimension = rubric.dimensions.first()
    client.force_login(bureau)
    url = reverse("admin:evaluation_rubricdimension_change", args=[dimension.pk])
    assert 'name="_save"' in client.get(url).content.decode()
    mark_in_use(rubric)
    assert client.post(url, {"order": 1, "code": "x", "name_zh": "改名"}).status_code == 403
    assert RubricDimension.objects.get(pk=dimension.pk).name_zh == dimension.name_zh
