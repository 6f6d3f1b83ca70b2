from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aftersales.accounts"
    label = "accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from aftersales.accounts.roles import sync_roles

        post_migrate.connect(sync_roles, dispatch_uid="accounts.sync_roles")

        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed

        from aftersales.accounts import backends

        m2m_changed.connect(
            lambda **kw: backends.invalidate(),
            sender=Group.permissions.through,
            dispatch_uid="accounts.group_perms_changed",
            weak=False,
        )
        from aftersales.accounts.models import User

        m2m_changed.connect(
            lambda **kw: backends.invalidate(),
            sender=User.user_permissions.through,
            dispatch_uid="accounts.user_perms_changed",
            weak=False,
        )
