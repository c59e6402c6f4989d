"""`{% url %}` (dentallab/templatetags/urls.py, a builtin of the template engine) writes exactly
what Django's own tag writes, for every named URL of the project and for every form of the tag."""

import pytest
from django.template import Context, Engine, engines
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, get_resolver, resolve

from dentallab.templatetags.urls import CachedURLNode
from tests.url_patterns import named_patterns, sample_path

PROJECT = engines["django"].engine
DJANGO = Engine()  # Django's builtins only: its own {% url %}
NAMED = named_patterns(get_resolver().url_patterns)


def both(source: str, context: dict | None = None, *, request=None, autoescape=True):
    """What the project's engine and Django's write for `source` (or the exception each raises)."""
    answers = []
    for engine in (PROJECT, DJANGO):
        data = Context(context or {}, autoescape=autoescape)
        if request is not None:
            data.request = request
        try:
            answers.append(engine.from_string(source).render(data))
        except Exception as error:  # noqa: BLE001 — the same error is the expected answer
            answers.append((type(error), str(error)))
    return answers


def test_the_project_engine_uses_the_cached_tag():
    (node,) = PROJECT.from_string("{% url 'home' %}").nodelist
    assert isinstance(node, CachedURLNode)


@pytest.mark.parametrize(("name", "pattern"), NAMED, ids=[name for name, _ in NAMED])
def test_every_named_url_is_written_as_djangos_tag_writes_it(name, pattern):
    params = list(pattern.pattern.regex.groupindex)
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/cases/")
    if not params:
        sources = [f"{{% url '{name}' %}}"]
    else:
        kwargs = resolve(sample_path(name, pattern)).kwargs
        values = " ".join(f"v{i}" for i in range(len(params)))
        sources = [f"{{% url '{name}' {values} %}}"]
        context = {f"v{i}": kwargs[param] for i, param in enumerate(params)}
        if len(params) == 1:  # an id, as pages pass it: an int (and 0, and a string of digits)
            sources += [f"{{% url '{name}' 7 %}}", f"{{% url '{name}' 0 %}}", f"{{% url '{name}' '7' %}}"]
    for source in sources:
        fast, django = both(source, context if params else {}, request=request)
        assert fast == django, source


@pytest.mark.parametrize(
    ("source", "context"),
    [
        ("{% url 'cases:detail' case %}", {"case": 42}),
        ("{% url 'cases:detail' -1 %}", {}),  # refused by <int:pk>: NoReverseMatch from both
        ("{% url 'cases:detail' flag %}", {"flag": True}),  # a bool is not an id
        ("{% url 'cases:detail' nothing %}", {"nothing": None}),
        ("{% url 'cases:detail' pk=5 %}", {}),
        ("{% url 'cases:detail' 5 as link %}[{{ link }}]", {}),
        ("{% url 'no-such-page' as link %}[{{ link }}]", {}),
        ("{% url 'no-such-page' %}", {}),
        ("{% url name %}", {"name": "cases:list"}),
        ("{% url 'cases:list'|lower %}", {}),
        ("{% url 'reports:section_csv' 'departments' %}", {}),
        ("{% url 'dataio:template' 'practices' 'csv' %}", {}),
        ("{% url 'home' %}?next={% url 'cases:list' %}", {}),
    ],
)
def test_each_form_of_the_tag_gives_djangos_answer(source, context):
    fast, django = both(source, context)
    assert fast == django
    fast, django = both(source, context, autoescape=False)
    assert fast == django


@override_settings(ROOT_URLCONF="tests.dentallab.urlconf_two_sites")
def test_an_app_included_twice_is_reversed_by_django_for_its_current_app():
    request = RequestFactory().get("/two/")
    request.resolver_match = resolve("/two/")
    for source in ("{% url 'shop:index' %}", "{% url 'shop:item' 3 %}"):
        fast, django = both(source, request=request)
        assert fast == django and fast.startswith("/two/")
    request.current_app = "one"
    assert both("{% url 'shop:item' 3 %}", request=request) == ["/one/3/", "/one/3/"]


def test_a_request_naming_its_current_app_is_answered_by_django():
    request = RequestFactory().get("/")
    request.current_app = "admin"
    assert both("{% url 'admin:index' %}", request=request) == ["/admin/", "/admin/"]


def test_a_script_prefix_is_kept(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/lab/")
    try:
        assert both("{% url 'cases:detail' 9 %}") == ["/lab/cases/9/", "/lab/cases/9/"]
        assert both("{% url 'home' %}") == ["/lab/", "/lab/"]
    finally:
        set_script_prefix("/")
    with pytest.raises(NoReverseMatch):
        PROJECT.from_string("{% url 'no-such-page' %}").render(Context())


def test_the_cache_answers_the_common_forms_and_declines_the_rest():
    from dentallab.reversing import reverse_cached

    assert reverse_cached("home") == "/"
    assert reverse_cached("cases:detail", (7,)) == "/cases/7/"
    assert reverse_cached("cases:detail", (-1,)) is None
    assert reverse_cached("cases:detail", ("7",)) is None
    assert reverse_cached("dataio:template", ("practices", "csv")) is None
    assert reverse_cached("reports:section_csv", (7,)) == "/reports/7.csv"  # a slug accepts digits
    assert reverse_cached("no-such-page") is None
    with override_settings(ROOT_URLCONF="tests.dentallab.urlconf_two_sites"):
        assert reverse_cached("shop:index") is None
