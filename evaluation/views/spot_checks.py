"""K10 — spot checks (抽查): the bureau's yearly draw (year, share, optional seed) and each draw's result by
district with priority marks and the recorded seed; each drawn package links to the usual assignment page
with the spot-check stage chosen."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from core.forms import add_service_errors
from core.permissions import require

from .. import services
from ..forms import SpotCheckDrawForm
from ..permissions import can_draw_spot_checks, can_view_spot_checks
from ..selectors import spot_check_draw_list, spot_check_picks


@login_required
def spot_check_list(request):
    """The years' draws, and the draw form for the bureau."""
    if not can_view_spot_checks(request.user):
        raise Http404
    may_draw = can_draw_spot_checks(request.user)
    today = timezone.localdate()
    form = None
    if may_draw:
        initial = {"year": today.year, "share": services.spot_checks.spot_check_min_share()}
        form = SpotCheckDrawForm(request.POST or None, initial=initial)
    if request.method == "POST":
        require(may_draw)
        if form.is_valid():
            data = form.cleaned_data
            try:
                draw = services.spot_check_draw(
                    actor=request.user, year=data["year"], share=data["share"], seed=data["seed"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已完成%(y)d年度抽查：抽中 %(n)d 个项目包。") % {"y": draw.year, "n": draw.picks.count()},
                )
                return redirect(draw)
    context = {"draws": list(spot_check_draw_list(user=request.user)), "form": form, "can_draw": may_draw}
    return render(request, "evaluation/spot_check_list.html", context, status=400 if form and form.errors else 200)


@login_required
def spot_check_detail(request, year: int):
    """One year's draw: the seed, the share, and the picks by district with priority marks and assignment."""
    draw = get_object_or_404(spot_check_draw_list(user=request.user), year=year)
    picks = spot_check_picks(draw)
    districts: list[dict] = []
    for pick in picks:
        if not districts or districts[-1]["district"].pk != pick.district_id:
            districts.append({"district": pick.district, "picks": []})
        districts[-1]["picks"].append(pick)
    context = {"draw": draw, "districts": districts, "can_assign": can_draw_spot_checks(request.user)}
    return render(request, "evaluation/spot_check_detail.html", context)


urlpatterns = [
    path("spot-checks/", spot_check_list, name="spot-check-list"),
    path("spot-checks/<int:year>/", spot_check_detail, name="spot-check-detail"),
]
