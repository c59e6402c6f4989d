from workcalendar.calendar import calendar_scope


class CalendarScopeMiddleware:
    """One calendar scope per request: closed days are read at most once per page or API call."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with calendar_scope():
            return self.get_response(request)
