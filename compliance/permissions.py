"""Who may see and act on compliance findings (K8). Plain bools only; rows are scoped in `selectors.finding_list`.

Seeing a finding: the bureau and the auditor every one; a district officer its district's; a town officer its
town's; a community officer its community's (a finding about the town's package as a whole is the town
office's to follow up, and money findings stay with the town, as the package-money pages do); an agency (manager
or worker) those whose responsible organisation is the agency or whose package is the agency's; anyone a
finding names as responsible, through a role that acts for that organisation. Evaluators, experts and fund
managers see none.

Acting on a finding: the responsible organisation answers with its rectification (整改) while the finding is
open or answered; the bureau does not answer on another organisation's behalf — it waives a finding with a
written reason instead."""

from __future__ import annotations

from directory.models import Role
from directory.permissions import is_bureau_admin, scope_for

from .models import Finding

# Roles through which a member answers for its organisation when a finding names that organisation responsible
# (an agency's manager and workers, who also file its reports; the place officers; the bureau for findings that
# name the bureau itself). Evaluators, experts, auditors and fund managers never answer findings.
ACTING_ROLES = (
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.BUREAU_ADMIN,
)
# A finding that is neither waived nor closed can still be answered or waived.
ANSWERABLE = (Finding.Status.OPEN, Finding.Status.RESPONDED)


def responsible_org_ids(user) -> frozenset[int]:
    """Organisations the user answers findings for (see ACTING_ROLES)."""
    return scope_for(user).orgs_for(*ACTING_ROLES)


def can_list_findings(user) -> bool:
    """Whether the user has any findings to see at all (the navigation link, the list page)."""
    scope = scope_for(user)
    return bool(
        scope.sees_all
        or scope.district_ids
        or scope.town_ids
        or scope.community_ids
        or scope.agency_ids
        or responsible_org_ids(user)
    )


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
