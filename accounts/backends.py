"""Django's ModelBackend, with the user lookup every signed-in request makes compiled once per
process (dentallab.compiled): same user, same is_active check (AUTHENTICATION_BACKENDS)."""

from django.contrib.auth import backends

from accounts.models import User
from dentallab.compiled import CompiledQuery

_USER = CompiledQuery(lambda variant, pk: User.objects.filter(pk=pk))


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id):
        try:
            user = _USER.get(user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
