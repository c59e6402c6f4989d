"""`POST /api/cron/run-tasks`: the queue's worker on Vercel, where no process runs between
requests. Vercel's cron calls it (vercel.json) with `Authorization: Bearer $CRON_SECRET`; it
enqueues the periodic tasks that are due (dentallab.schedule) and runs queued tasks for at most
CRON_RUN_SECONDS (50 s, inside the function's 60 s limit). Vercel's cron sends GET, so GET is
answered the same way; either needs the secret.

Without the right secret the answer is 401, compared in constant time; when CRON_SECRET is not
set the endpoint refuses every request (nothing can run the queue from outside)."""

import hmac

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dentallab import schedule
from dentallab.api_errors import error_response
from dentallab.task_runner import run_queued_tasks

RESULT = inline_serializer(
    "CronRunResult",
    {
        "ran": serializers.IntegerField(),
        "failed": serializers.IntegerField(),
        "remaining": serializers.IntegerField(),
        "seconds": serializers.FloatField(),
        "scheduled": serializers.ListField(child=serializers.CharField()),
    },
)
REFUSED = OpenApiResponse(
    description="No CRON_SECRET configured, or the bearer token is not it.", response=OpenApiTypes.OBJECT
)


def _authorized(request) -> tuple[bool, str]:
    secret = settings.CRON_SECRET
    if not secret:
        return False, "The task runner is disabled: CRON_SECRET is not set."
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), secret.encode()):
        return False, "Send Authorization: Bearer <CRON_SECRET>."
    return True, ""


class RunTasksView(APIView):
    authentication_classes: list = []  # the bearer here is the cron secret, not a user's token
    permission_classes = [AllowAny]

    def _run(self, request):
        allowed, why = _authorized(request)
        if not allowed:
            response = error_response(why, "not_authenticated", 401)
            response["WWW-Authenticate"] = 'Bearer realm="cron"'
            return response
        scheduled = schedule.ensure_scheduled()
        result = run_queued_tasks(seconds=settings.CRON_RUN_SECONDS, worker_id="vercel-cron")
        return Response({**result, "scheduled": scheduled})

    @extend_schema(
        summary="Run queued background tasks for at most 50 s (the cron's worker)",
        request=None,
        responses={200: RESULT, 401: REFUSED},
        auth=[],
    )
    def post(self, request):
        return self._run(request)

    @extend_schema(
        summary="The same, for Vercel's cron (which sends GET)",
        responses={200: RESULT, 401: REFUSED},
        auth=[],
    )
    def get(self, request):
        return self._run(request)
