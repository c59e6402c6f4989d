"""DRF's JSON parser, minus one crash: a body nested thousands of levels deep (`[[[[...]]]]`, a
few hundred KB) makes Python's decoder raise RecursionError, which DRF does not catch (it only
maps ValueError to a 400), so the request became a 500. Deep nesting is bad input: 400."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
