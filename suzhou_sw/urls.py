from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from catalog import api as catalog_api
from core.redirects import moved_api, moved_pages
from delivery.api import urlpatterns as delivery_api
from delivery.views import urlpatterns as delivery_pages
from directory import api as directory_api
from procurement.views.public import ocds_urlpatterns
from reporting import api as reporting_api
from reporting.search import SearchApi
from reporting.views import urlpatterns as reporting_pages

api_v1 = [
    path("me/", directory_api.MeApi.as_view(), name="me"),
    path("tokens/", directory_api.ApiTokenListCreateApi.as_view(), name="token-list"),
    path("tokens/<int:pk>/revoke/", directory_api.ApiTokenRevokeApi.as_view(), name="token-revoke"),
    path("catalog/editions/", catalog_api.EditionListApi.as_view(), name="catalog-edition-list"),
    path("catalog/items/", catalog_api.ServiceItemListApi.as_view(), name="catalog-item-list"),
    path("catalog/items/<int:pk>/", catalog_api.ServiceItemDetailApi.as_view(), name="catalog-item-detail"),
    path("procurement/", include("procurement.api_urls")),
    path("delivery/", include("delivery.api_urls")),
    path("evaluation/", include("evaluation.api_urls")),
    path("funds/", include("funds.api_urls")),
    path("compliance/", include("compliance.api_urls")),
    path("", include(reporting_api.urlpatterns)),
    path("search/", SearchApi.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the page needs no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-v1:schema"), name="docs"),
    # Moved in the split of delivery out of procurement (and of the statistics into reporting): 308 to the
    # new address, listed as deprecated in the OpenAPI document.
    path("procurement/", include(moved_api(delivery_api, "", "/api/v1/delivery/"))),
    path("procurement/", include(moved_api(reporting_api.urlpatterns, "", "/api/v1/"))),
]

urlpatterns = [
    path("", include("directory.urls")),
    path("catalog/", include("catalog.urls")),
    path("procurement/", include("procurement.urls")),
    # Open contracting data (OCDS 1.1.5), no login: per-year bulk files, the paged release list, records.
    path("ocds/", include((ocds_urlpatterns, "ocds"))),
    path("delivery/", include("delivery.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("funds/", include("funds.urls")),
    path("compliance/", include("compliance.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("reporting.urls")),
    # Pages that moved to delivery/ and to the statistics page keep a permanent redirect at the old address.
    path("procurement/", include(moved_pages(delivery_pages, "delivery"))),
    path("procurement/public/", include(moved_pages(reporting_pages, "reporting"))),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Every user changes its own password; the bureau sends a reset link by e-mail (directory admin action).
    path("accounts/password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api-v1")),
]
