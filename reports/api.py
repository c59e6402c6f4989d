"""GET /api/reports/scorecard/ (DESIGN §17). Thin: reports.selectors parses the parameters,
applies the caller's scope and asks PostgreSQL for the figures; errors take the one shape
(dentallab.api_errors): a malformed parameter 400 naming it, a role without figures 403, another
practice 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports import selectors

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)


class ScorecardView(APIView):
    @extend_schema(
        summary="The lab's scorecard: on-time rate, remake rate, median turnaround",
        description=(
            "Cases shipped (shipped date in the lab's time zone within [from, to]); on time = shipped "
            "on or before ship-by (due date when there is none); remakes = shipped cases that were "
            "remade; median turnaround in working days from received to shipped. Rates are fractions "
            "0-1 with 4 decimals, null when nothing shipped. Managers and admins see every practice; "
            "a dentist their own practice; a technician the cases assigned to them."
        ),
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="Default: the Monday 11 weeks before `to`"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Default: today"),
            OpenApiParameter(
                "group_by", OpenApiTypes.STR, enum=list(selectors.GROUP_BY), description="Default: practice"
            ),
            OpenApiParameter("practice", OpenApiTypes.INT),
            OpenApiParameter("technician", OpenApiTypes.INT),
            OpenApiParameter("category", OpenApiTypes.STR),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: ERROR, 403: ERROR, 404: ERROR},
    )
    def get(self, request):
        filters = selectors.parse_filters(request.user, request.query_params)
        group_by = (request.query_params.get("group_by") or "practice").strip()
        return Response(selectors.scorecard(request.user, filters, group_by))
