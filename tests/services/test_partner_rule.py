"""The partner rule lives in the services: a partner must be a known organisation; each unknown one is named
by its field, and nothing is resolved when any is unknown."""

from __future__ import annotations

import pytest

from pilotstarter_web.services.errors import InvalidInput
from pilotstarter_web.services.organisations import resolve_partners


def test_known_partners_resolve_and_blank_fields_are_skipped():
    found = resolve_partners({"partner_1": "GM0307", "partner_2": "  ", "partner_3": "gm0344"})
    assert [o.code for o in found] == ["GM0307", "GM0344"]


def test_every_unknown_partner_is_named_by_its_field():
    with pytest.raises(InvalidInput) as caught:
        resolve_partners({"partner_1": "GM0307", "partner_2": "Nergenshuizen", "partner_4": "Atlantis"})
    assert set(caught.value.field_errors) == {"partner_2", "partner_4"}
