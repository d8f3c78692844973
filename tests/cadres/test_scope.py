"""get_for_user: the one lookup every view makes for an object of its URL."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from cadres.models import Role
from cadres.scope import cadres_for, get_for_user


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_an_object_in_scope_is_returned(xx):
    cadre = get_for_user(_request(xx.office), cadres_for, xx.cadre.pk)
    assert cadre == xx.cadre


def test_a_string_id_is_read_as_a_number(xx):
    assert get_for_user(_request(xx.office), cadres_for, str(xx.cadre.pk)) == xx.cadre


def test_an_object_out_of_scope_is_404(xx, pq):
    with pytest.raises(Http404):
        get_for_user(_request(xx.office), cadres_for, pq.cadre.pk)


@pytest.mark.parametrize("pk", ["abc", "", None, "1.5", "-1", "0", str(2**63), "9" * 40])
def test_a_malformed_id_is_404_not_500(xx, pk):
    with pytest.raises(Http404):
        get_for_user(_request(xx.office), cadres_for, pk)


def test_a_write_by_a_reader_is_403_before_the_lookup(xx, pq):
    with pytest.raises(PermissionDenied):
        get_for_user(_request(xx.leader), cadres_for, pq.cadre.pk, write=True)


def test_a_role_not_let_in_is_404_before_the_write_check(xx):
    with pytest.raises(Http404):
        get_for_user(_request(xx.leader), cadres_for, xx.cadre.pk, write=True, roles=(Role.OFFICE,))
