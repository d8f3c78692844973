"""The ``Content-Disposition`` of a file the user downloads (Excel exports, PDF archives)."""

from urllib.parse import quote


def content_disposition(filename: str, *, fallback: str = "") -> str:
    """``attachment`` with an ASCII name for old clients (``fallback``, or the ASCII part of
    ``filename``, or ``export`` with its extension) and the real name as
    ``filename*=UTF-8''...`` (RFC 5987), which every current browser prefers."""
    if not fallback:
        fallback = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "")
        stem, dot, ext = fallback.rpartition(".")
        if not dot or not stem.strip(" ._-"):
            fallback = f"export.{ext}" if dot else "export.xlsx"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
