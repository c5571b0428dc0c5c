"""The plan API: read a package's plan with its coverage (P4–P6), change items, file off-catalogue items (P3)
and move the plan through the P7 workflow. Each view calls the same service as the page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.models import ServiceCategory, ServiceItem
from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from delivery.models import PlanItem, ServicePlan
from delivery.selectors import plan_item_list
from procurement.models import ServicePackage
from procurement.selectors import package_get

from ..coverage import KINDS, coverage_check
from ..services import plans as services


def _plan(package: ServicePackage) -> ServicePlan:
    plan = ServicePlan.objects.filter(package=package).first()
    if plan is None:
        raise Http404
    plan.package = package
    return plan


def _community(package: ServicePackage, community_id):
    if community_id is None:
        return None
    community = package.town.communities.filter(pk=community_id).first()
    if community is None:
        raise ValidationError(
            {"community": [_("社区（村）不属于%(town)s。") % {"town": package.town.name}]},
        )
    return community


class PlanItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.SerializerMethodField()
    name = serializers.CharField(source="display_name")
    category_kind = serializers.CharField()
    unit = serializers.CharField()
    community = serializers.IntegerField(source="community_id", allow_null=True)
    community_name = serializers.SerializerMethodField()
    year = serializers.IntegerField()
    annual_target = serializers.IntegerField()
    is_filed = serializers.BooleanField()
    filed_status = serializers.CharField()
    counts = serializers.BooleanField()
    note = serializers.CharField()

    def get_code(self, obj) -> str:
        return "" if obj.is_filed else obj.item.code

    def get_community_name(self, obj) -> str:
        return obj.community.name if obj.community_id else ""


class PlanDetailApi(APIView):
    """A package's plan: status, items and the live coverage check."""

    class OutputSerializer(serializers.Serializer):
        package = serializers.IntegerField(source="package_id")
        status = serializers.CharField()
        version = serializers.IntegerField()
        returned_reason = serializers.CharField()
        amendment_reason = serializers.CharField()
        items = PlanItemOutputSerializer(many=True)
        coverage_ok = serializers.BooleanField()
        coverage_problems = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        plan = _plan(package)
        items = list(plan_item_list(user=request.user, plan=plan))
        result = coverage_check(plan, items=items)
        data = {
            "package_id": package.pk,
            "status": plan.status,
            "version": plan.version,
            "returned_reason": plan.returned_reason,
            "amendment_reason": plan.amendment_reason,
            "items": items,
            "coverage_ok": result.ok,
            "coverage_problems": result.problems,
        }
        return Response(self.OutputSerializer(data).data)


class PlanCoverageApi(APIView):
    """The coverage matrix: per community (null = town level) and category, counted items and targets."""

    class OutputSerializer(serializers.Serializer):
        ok = serializers.BooleanField()
        problems = serializers.ListField(child=serializers.CharField())
        rows = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        plan = _plan(package)
        result = coverage_check(plan, items=list(plan_item_list(user=request.user, plan=plan)))
        rows = [
            {
                "community": row.community.pk if row.community else None,
                "community_name": row.community.name if row.community else "",
                "cells": {
                    kind: {
                        "count": row.cells[kind].count,
                        "targets": row.cells[kind].targets,
                        "gap": row.cells[kind].gap,
                    }
                    for kind in KINDS
                },
            }
            for row in result.rows
        ]
        return Response(self.OutputSerializer({"ok": result.ok, "problems": result.problems, "rows": rows}).data)


class PlanItemAddApi(APIView):
    """P3: add a catalogue sub-item × place × year × annual target (creates the plan on first use)."""

    class InputSerializer(serializers.Serializer):
        item = serializers.IntegerField()
        community = serializers.IntegerField(allow_null=True, required=False, default=None)
        year = serializers.IntegerField()
        annual_target = serializers.IntegerField()
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses={201: PlanItemOutputSerializer})
    def post(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        item = ServiceItem.objects.select_related("category").filter(pk=values["item"]).first()
        if item is None:
            raise ValidationError({"item": [_("没有这个目录子项。")]})
        plan_item = services.plan_item_add(
            actor=request.user,
            package=package,
            item=item,
            community=_community(package, values["community"]),
            year=values["year"],
            annual_target=values["annual_target"],
            note=values["note"],
        )
        return Response(PlanItemOutputSerializer(plan_item).data, status=status.HTTP_201_CREATED)


class PlanItemFileApi(APIView):
    """P3: file an off-catalogue item with a justification; it counts once the bureau approves it."""

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        category_kind = serializers.ChoiceField(choices=ServiceCategory.Kind.choices)
        unit = serializers.ChoiceField(choices=ServiceItem.Unit.choices)
        justification = serializers.CharField(max_length=TEXT_MAX_LENGTH)
        community = serializers.IntegerField(allow_null=True, required=False, default=None)
        year = serializers.IntegerField()
        annual_target = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={201: PlanItemOutputSerializer})
    def post(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["community"] = _community(package, values["community"])
        plan_item = services.plan_item_file(actor=request.user, package=package, **values)
        return Response(PlanItemOutputSerializer(plan_item).data, status=status.HTTP_201_CREATED)


def _plan_item(plan: ServicePlan, item_pk: int) -> PlanItem:
    plan_item = get_object_or_404(PlanItem.objects.select_related("item__category", "community"), plan=plan, pk=item_pk)
    plan_item.plan = plan
    return plan_item


class PlanItemUpdateApi(APIView):
    """Change an item's place, year, target or note."""

    class InputSerializer(serializers.Serializer):
        community = serializers.IntegerField(allow_null=True, required=False, default=None)
        year = serializers.IntegerField()
        annual_target = serializers.IntegerField()
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)
        justification = serializers.CharField(
            required=False, allow_blank=True, default=None, allow_null=True, max_length=TEXT_MAX_LENGTH
        )

    @extend_schema(request=InputSerializer, responses=PlanItemOutputSerializer)
    def patch(self, request, pk: int, item_pk: int):
        package = package_get(user=request.user, pk=pk)
        plan = _plan(package)
        plan_item = _plan_item(plan, item_pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["community"] = _community(package, values["community"])
        plan_item = services.plan_item_update(actor=request.user, plan=plan, plan_item=plan_item, **values)
        return Response(PlanItemOutputSerializer(plan_item).data)


class PlanItemRemoveApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request, pk: int, item_pk: int):
        package = package_get(user=request.user, pk=pk)
        plan = _plan(package)
        services.plan_item_remove(actor=request.user, plan=plan, plan_item=_plan_item(plan, item_pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PlanStatusOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    version = serializers.IntegerField()
    returned_reason = serializers.CharField()
    amendment_reason = serializers.CharField()


class PlanSubmitApi(APIView):
    """P7: the agency manager submits; coverage problems (P4–P6) come back as a 400."""

    @extend_schema(request=None, responses=PlanStatusOutputSerializer)
    def post(self, request, pk: int):
        plan = services.plan_submit(actor=request.user, plan=_plan(package_get(user=request.user, pk=pk)))
        return Response(PlanStatusOutputSerializer(plan).data)


class PlanTownReviewApi(APIView):
    """P7: the town forwards the plan to the bureau (approve=true) or returns it with a reason."""

    class InputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses=PlanStatusOutputSerializer)
    def post(self, request, pk: int):
        plan = _plan(package_get(user=request.user, pk=pk))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_town_review(actor=request.user, plan=plan, **data.validated_data)
        return Response(PlanStatusOutputSerializer(plan).data)


class PlanApproveApi(APIView):
    @extend_schema(request=None, responses=PlanStatusOutputSerializer)
    def post(self, request, pk: int):
        plan = services.plan_approve(actor=request.user, plan=_plan(package_get(user=request.user, pk=pk)))
        return Response(PlanStatusOutputSerializer(plan).data)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)


class PlanReturnApi(APIView):
    @extend_schema(request=ReasonInputSerializer, responses=PlanStatusOutputSerializer)
    def post(self, request, pk: int):
        plan = _plan(package_get(user=request.user, pk=pk))
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_return(actor=request.user, plan=plan, reason=data.validated_data["reason"])
        return Response(PlanStatusOutputSerializer(plan).data)


class PlanAmendApi(APIView):
    @extend_schema(request=ReasonInputSerializer, responses=PlanStatusOutputSerializer)
    def post(self, request, pk: int):
        plan = _plan(package_get(user=request.user, pk=pk))
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.plan_amend(actor=request.user, plan=plan, reason=data.validated_data["reason"])
        return Response(PlanStatusOutputSerializer(plan).data)


urlpatterns = [
    path("packages/<int:pk>/plan/", PlanDetailApi.as_view(), name="delivery-plan-detail"),
    path("packages/<int:pk>/plan/coverage/", PlanCoverageApi.as_view(), name="delivery-plan-coverage"),
    path("packages/<int:pk>/plan/items/", PlanItemAddApi.as_view(), name="delivery-plan-item-add"),
    path("packages/<int:pk>/plan/filed-items/", PlanItemFileApi.as_view(), name="delivery-plan-item-file"),
    path("packages/<int:pk>/plan/items/<int:item_pk>/", PlanItemUpdateApi.as_view(), name="delivery-plan-item-update"),
    path(
        "packages/<int:pk>/plan/items/<int:item_pk>/remove/",
        PlanItemRemoveApi.as_view(),
        name="delivery-plan-item-remove",
    ),
    path("packages/<int:pk>/plan/submit/", PlanSubmitApi.as_view(), name="delivery-plan-submit"),
    path("packages/<int:pk>/plan/town-review/", PlanTownReviewApi.as_view(), name="delivery-plan-town-review"),
    path("packages/<int:pk>/plan/approve/", PlanApproveApi.as_view(), name="delivery-plan-approve"),
    path("packages/<int:pk>/plan/return/", PlanReturnApi.as_view(), name="delivery-plan-return"),
    path("packages/<int:pk>/plan/amend/", PlanAmendApi.as_view(), name="delivery-plan-amend"),
]
