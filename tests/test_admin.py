"""The Django admin is the bureau's desk: every model is there, in Chinese, searchable, and opens."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

APPS = ["directory", "catalog", "procurement", "delivery", "evaluation", "funds", "reporting", "compliance"]
MODELS = [m for app in APPS for m in apps.get_app_config(app).get_models() if not m.__name__.startswith("Historical")]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_is_in_the_admin_with_a_chinese_name_and_search(model):
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None, f"{model.__name__} is not registered in the admin"
    assert CJK.search(str(model._meta.verbose_name)), model.__name__
    assert model_admin.search_fields, f"{model.__name__} has no search in the admin"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_bureau_opens_every_admin_list_and_searches_it(client, bureau_admin, model):
    client.force_login(bureau_admin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "南园"}).status_code == 200
