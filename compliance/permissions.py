"""Who may see and act on compliance findings (K8). Plain bools only; rows are scoped in `selectors.finding_list`.

Seeing a finding: the bureau and the auditor every one; a district officer its district's; a town officer its
town's; a community officer its community's (a finding about the town's package as a whole is the town
office's to follow up, and money findings stay with the town, as the package-money pages do); an agency (manager
or worker) those whose responsible organisation is the agency or whose package is the agency's; anyone a
finding names as responsible, through a role that acts for that organisation (so an evaluator sees a finding
that names its firm, and nothing else). Experts see none.

Acting on a finding: the responsible organisation answers with its rectification (整改) while the finding is
open or answered; the bureau does not answer on another organisation's behalf — it waives a finding with a
written reason instead."""

from __future__ import annotations

from directory.models import Role
from directory.permissions import is_bureau_admin, scope_for

from .models import Finding

# Roles through which a member acts for its organisation when a finding names it responsible: an agency's
# managers and workers (who also file its reports), the place officers, a firm's evaluators (a late evaluation),
# a foundation's fund managers, the bureau for findings that name the bureau itself. Experts and auditors act for
# nobody. The same roles are told about a new finding (`notify.findings_notify`), so whoever is told may open it.
ACTING_ROLES = (
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.BUREAU_ADMIN,
    Role.EVALUATOR,
    Role.FUND_MANAGER,
)
# A finding that is neither waived nor closed can still be answered or waived.
ANSWERABLE = (Finding.Status.OPEN, Finding.Status.RESPONDED)


def responsible_org_ids(user) -> frozenset[int]:
    """Organisations the user answers findings for (see ACTING_ROLES)."""
    return scope_for(user).orgs_for(*ACTING_ROLES)


def has_findings_scope(user) -> bool:
    """Whether findings are part of the user's work by its place or agency (or city-wide): the navigation link.
    An evaluator or a fund manager reaches the findings that name its organisation from the notification or
    the home page instead (rarely any: no link for every evaluator to an empty list)."""
    scope = scope_for(user)
    return bool(scope.sees_all or scope.district_ids or scope.town_ids or scope.community_ids or scope.agency_ids)


def can_list_findings(user) -> bool:
    """Whether the user may open the findings list at all (it shows only what the user may see)."""
    return has_findings_scope(user) or bool(responsible_org_ids(user))


def is_finding_responder(user, finding: Finding) -> bool:
    """A member of the finding's responsible organisation, acting for it (whatever the finding's status)."""
    return bool(finding.organisation_id) and finding.organisation_id in responsible_org_ids(user)


def can_respond_finding(user, finding: Finding) -> bool:
    """K8 整改: the responsible organisation answers (what was done, optionally a file) while the finding is
    open or already answered (a further answer adds to the history)."""
    return finding.status in ANSWERABLE and is_finding_responder(user, finding)


def can_waive_finding(user, finding: Finding) -> bool:
    """K8: the bureau waives an open or answered finding, with a written reason kept in its history."""
    return finding.status in ANSWERABLE and is_bureau_admin(user)
