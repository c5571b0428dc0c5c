"""core.permissions.require and core.actors.SYSTEM."""

import pytest
from django.core.exceptions import PermissionDenied

from core.actors import SYSTEM, is_system
from core.permissions import require


def test_require_passes_only_a_plain_true():
    require(True)
    for refused in (False, None, 0, (False, "reason"), ("ok",), 1):
        with pytest.raises(PermissionDenied):
            require(refused)


def test_require_carries_its_message():
    with pytest.raises(PermissionDenied, match="只有民政局"):
        require(False, "只有民政局管理员可以执行此操作。")


def test_system_actor_is_no_user():
    assert str(SYSTEM) == "system" and SYSTEM.pk is None
    assert not SYSTEM.is_authenticated
    assert is_system(SYSTEM) and not is_system(None)
