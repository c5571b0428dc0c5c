"""The funds API, mounted at /api/v1/funds/ in the `api-v1` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("sources/", api.SourceYearListApi.as_view(), name="funds-source-list"),
    path("sources/<int:pk>/budget/", api.BudgetSetApi.as_view(), name="funds-budget-set"),
    path("packages/<int:pk>/", api.PackageMoneyApi.as_view(), name="funds-package-money"),
    path("packages/<int:pk>/splits/", api.SplitSetApi.as_view(), name="funds-split-set"),
    path("payments/", api.PaymentListApi.as_view(), name="funds-payment-list"),
    path("instalments/<int:pk>/payments/", api.PaymentRecordApi.as_view(), name="funds-payment-record"),
    path("payments/<int:pk>/reverse/", api.PaymentReverseApi.as_view(), name="funds-payment-reverse"),
    path("community-funds/", api.FundListApi.as_view(), name="funds-fund-list"),
    path("community-funds/<int:pk>/donations/", api.DonationRecordApi.as_view(), name="funds-donation-record"),
    path("community-funds/<int:pk>/grants/", api.GrantApplyApi.as_view(), name="funds-grant-apply"),
    path("ledger/", api.LedgerListApi.as_view(), name="funds-ledger-list"),
    path("ledger/<int:pk>/reverse/", api.LedgerReverseApi.as_view(), name="funds-ledger-reverse"),
    path("grants/", api.GrantListApi.as_view(), name="funds-grant-list"),
    path("grants/<int:pk>/vote/", api.GrantVoteApi.as_view(), name="funds-grant-vote"),
    path("grants/<int:pk>/close/", api.GrantCloseApi.as_view(), name="funds-grant-close"),
]
