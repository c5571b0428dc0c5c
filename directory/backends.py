from django.contrib.auth.backends import BaseBackend

from .permissions import is_bureau_admin


class RoleBackend(BaseBackend):
    """Grants Django's model permissions from the role layer: a bureau administrator may do everything
    in the admin, nobody else gets a model permission from here. Authentication stays with ModelBackend."""

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return bool(user_obj.is_active and is_bureau_admin(user_obj))

    def has_module_perms(self, user_obj, app_label) -> bool:
        return bool(user_obj.is_active and is_bureau_admin(user_obj))
