"""Permission rows shared by every area: the usual expectations per role."""

OFFICE_ONLY = {"office": 200, "leader": 403, "liaison": 403, "cadre": 403}
STAFF_READ = {"office": 200, "leader": 200, "liaison": 403, "cadre": 403}
OFFICE_POST = {"office": 302, "leader": 403, "liaison": 403, "cadre": 403}
