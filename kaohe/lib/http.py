"""What a request says about its sender."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address: the connection's, or, behind the HTTPS proxy that the settings
    declare (BEHIND_HTTPS_PROXY), the address that proxy appended to X-Forwarded-For. Only the
    last entry is the proxy's own word; the ones before it are the client's and may be forged,
    so they never count (a lockout per address must not be dodged by a header)."""
    if getattr(settings, "BEHIND_HTTPS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None
