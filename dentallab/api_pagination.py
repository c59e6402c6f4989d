from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (default 25, at most 100; larger asks get 100) →
    {"count", "next", "previous", "results"}."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
