"""Home-page sections for compliance (see core/attention.py): the open findings the user's organisations must
answer (待整改), and for the bureau the answered findings waiting to be checked (已整改待核实). Each shows the
count and the first few, and links to the list filtered the same way."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.permissions import is_bureau_admin

from .models import Finding
from .selectors import MINE, finding_list, responsible_open_list

SHOWN = 5


def _item(finding: Finding) -> AttentionItem:
    place = " · ".join(p.name for p in (finding.town, finding.community) if p is not None)
    return AttentionItem(
        title=f"{finding.rule} · {finding.message[:60]}",
        url=finding.get_absolute_url(),
        detail=_("%(place)s首次发现于 %(d)s")
        % {"place": f"{place} · " if place else "", "d": f"{timezone.localtime(finding.first_seen_at):%Y-%m-%d}"},
    )


def _to_answer(user) -> AttentionSection | None:
    findings = responsible_open_list(user=user)
    total = findings.count()
    if not total:
        return None
    return AttentionSection(
        title=_("待整改的合规问题"),
        items=[_item(f) for f in findings[:SHOWN]],
        total=total,
        url=f"{reverse('compliance:finding-list')}?status=open&responsible={MINE}",
        order=15,
    )


def _to_check(user) -> AttentionSection | None:
    findings = finding_list(user=user).filter(status=Finding.Status.RESPONDED).order_by("first_seen_at", "id")
    total = findings.count()
    if not total:
        return None
    return AttentionSection(
        title=_("已整改待核实的合规问题"),
        items=[_item(f) for f in findings[:SHOWN]],
        total=total,
        url=f"{reverse('compliance:finding-list')}?status=responded",
        order=16,
    )


@register
def compliance_sections(user) -> list[AttentionSection]:
    if not user.is_authenticated:
        return []
    sections = [_to_answer(user)]
    if is_bureau_admin(user):
        sections.append(_to_check(user))
    return [s for s in sections if s is not None]
