"""Permission rows shared by every area: the usual expectations per role."""

OFFICE_ONLY = {"office": 200, "leader": 403, "liaison": 403, "cadre": 403}
STAFF_READ = {"office": 200, "leader": 200, "liaison": 403, "cadre": 403}
OFFICE_POST = {"office": 302, "leader": 403, "liaison": 403, "cadre": 403}


def url_args(obj) -> list:
    """The URL arguments of a world object: its id, or, for an object addressed by more than
    its id (a scorecard: year and unit code), the tuple of them."""
    return list(obj) if isinstance(obj, tuple) else [obj.pk]
