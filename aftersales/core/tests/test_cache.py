"""Timed in-process caches: loaded once, dropped in this process when their model changes."""

from __future__ import annotations

import pytest

from aftersales import testing as t
from aftersales.installed_base.models import WarrantyPolicy
from aftersales.installed_base.selectors import category_policies

pytestmark = pytest.mark.django_db


def test_policies_are_read_once_and_an_edit_is_seen_at_once(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    category = t.category("led", "LED显示屏")
    policy = t.policy(category, months=24)
    with django_assert_num_queries(1):
        assert category_policies(category.pk)[""].months == 24
        assert category_policies(category.pk)[""].months == 24
    WarrantyPolicy.objects.filter(pk=policy.pk).update(months=36)  # no signal: still cached
    assert category_policies(category.pk)[""].months == 24
    policy.refresh_from_db()
    policy.months = 30
    policy.save()  # an administrator's edit: dropped in this process
    assert category_policies(category.pk)[""].months == 30
