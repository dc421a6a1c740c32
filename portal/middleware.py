import codecs
import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import WSGIRequest
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_header_parameters


class LazyQueryRequest(WSGIRequest):
    """The request of config.wsgi: it reads its query string when first asked, inside
    the middleware, not while it is built.

    When the Content-Type names a charset, Django's request reads the query string in
    it as soon as it is built (setting `encoding` parses GET again, and `hasattr`
    parses it a first time), before any middleware: a codec that is no text encoding
    (`charset=rot13`, `hex`, `base64`) raises LookupError there, `idna` fails on any
    percent-escape (UnicodeError, which Django passes on as TooManyFieldsSent), and
    any charset on more than DATA_UPLOAD_MAX_NUMBER_FIELDS parameters: a 500 from the
    server. Read later, the first is UnreadableFormMiddleware's 400, the others Django's.
    """

    def _set_content_type_params(self, meta):
        # As Django's, but the encoding is set without the setter's parse of GET.
        self.content_type, self.content_params = parse_header_parameters(meta.get("CONTENT_TYPE", ""))
        if "charset" in self.content_params:
            try:
                codecs.lookup(self.content_params["charset"])
            except LookupError:
                pass
            else:
                self._encoding = self.content_params["charset"]


class UnreadableFormMiddleware:
    """400, not 500, for a form that cannot be decoded in the charset it names.

    Django refuses `application/x-www-form-urlencoded; charset=UTF-16` with
    BadRequest; a multipart form in a codec that cannot decode (idna) or is no text
    encoding at all (rot13, hex) fails with UnicodeError or LookupError; a charset
    it does not know it ignores, guessing UTF-8: refused here too, as the form
    cannot be read as it was sent. Read here, before CsrfViewMiddleware reads it,
    each is a BadRequest, answered by portal.views.error_400 (which, unlike
    Django's page, does not read the form again). So is a query string that
    cannot be read in the charset named (read here, not while the request was
    built, with config.wsgi's LazyQueryRequest).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            codecs.lookup(request.content_params.get("charset", "utf-8"))
            request.GET, request.POST  # noqa: B018 (parsed on first use)
        except (UnicodeError, LookupError) as error:
            raise BadRequest("The form is not readable in the charset it names.") from error
        return self.get_response(request)


class ChosenLanguageMiddleware:
    """Chinese unless the visitor chose another language with the switcher.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language:
    the community's portal speaks Chinese to everyone by default (a resident's
    phone set to English still sees the Chinese page staff point them to), and
    the choice made with the switcher, kept in a cookie, wins.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user:
    their pages list residents' names and phone numbers, and neither a shared
    proxy nor the browser (the back button on the community office's shared
    computer) may keep a copy. The public pages where a resident sees their own
    wish or appeal carry Django's `@never_cache`, which says the same. Static
    files never get here (whitenoise answers them further up) and stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _ip(value: str):
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _in(address: str, networks) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in networks)


def client_address(request) -> str | None:
    """The client's IP address, as django-axes counts it (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, the other end of the connection, unless that is one of the
    reverse proxies listed in settings.TRUSTED_PROXIES (addresses or networks,
    from DJANGO_TRUSTED_PROXIES). Only then is X-Forwarded-For read, from the
    right: each trusted proxy appended the address it saw, so the first entry
    from the right that is not a trusted proxy is the client. Whatever lies left
    of it was sent by the client itself and could be anything.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if remote is None or not trusted or not _in(remote, trusted):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _in(address, trusted):
            return address if _ip(address) is not None else remote
    return forwarded[0] if forwarded else remote
