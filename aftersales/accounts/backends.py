"""Model backend with a short in-process cache of group permissions.

Every API request re-reads the user from its token, and Django's backend would then load the
user's and groups' permissions with two queries per request. Group permissions change rarely
(an administrator's edit); they are cached per set of groups for ``CACHE_SECONDS``.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

CACHE_SECONDS = 60
_cache: dict[tuple[int, ...], tuple[float, frozenset[str]]] = {}
_lock = threading.Lock()


def _group_perms(group_ids: tuple[int, ...]) -> frozenset[str]:
    now = time.monotonic()
    with _lock:
        hit = _cache.get(group_ids)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    rows = Permission.objects.filter(group__id__in=group_ids).values_list(
        "content_type__app_label", "codename"
    )
    perms = frozenset(f"{app}.{code}" for app, code in rows)
    with _lock:
        _cache[group_ids] = (now, perms)
    return perms


def invalidate() -> None:
    with _lock:
        _cache.clear()
        _user_cache.clear()


_user_cache: dict[int, tuple[float, frozenset[str]]] = {}


class CachedGroupsModelBackend(ModelBackend):
    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_group_perm_cache"):
            from aftersales.accounts.roles import ROLE_BY_NAME

            groups = list(user_obj.groups.values_list("id", "name"))
            ids = tuple(sorted(i for i, _ in groups))
            user_obj._group_perm_cache = set(_group_perms(ids)) if ids else set()
            # the role codes come from the same rows (saves the role query of this request)
            user_obj._role_codes = frozenset(
                ROLE_BY_NAME[n].code for _, n in groups if n in ROLE_BY_NAME
            )
        return set(user_obj._group_perm_cache)

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """Permissions granted to the user directly (rare), cached like the groups'."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        now = time.monotonic()
        with _lock:
            hit = _user_cache.get(user_obj.pk)
        if hit and now - hit[0] < CACHE_SECONDS:
            return set(hit[1])
        perms = frozenset(super().get_user_permissions(user_obj))
        with _lock:
            _user_cache[user_obj.pk] = (now, perms)
        return set(perms)
