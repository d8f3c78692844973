"""Accounts: a login's role and the unit subtree it may see."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .organization import Unit


class Role(models.TextChoices):
    OFFICE = "office", _("Assessment office staff")
    LEADER = "leader", _("Leader")
    LIAISON = "liaison", _("Unit liaison")
    CADRE = "cadre", _("Cadre")
    LEAD = "lead", _("Lead department scorer")


class Account(models.Model):
    """A login's role and the unit subtree it may see.

    Office staff and leaders are scoped to a county (or a city above several counties);
    a liaison to their unit; a cadre to their own record (``user.cadre``).
    The role is mirrored in a Django group of the same name by the account services.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="account",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("scope"),
        on_delete=models.PROTECT,
        related_name="accounts",
        help_text=_("The unit whose subtree this account may see."),
    )
    must_change_password = models.BooleanField(
        _("must change the password"),
        default=False,
        help_text=_("Set with an initial password: the first login asks for a new one."),
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"


class AccountChange(models.Model):
    """Every change an office makes to an account: who, when, what, before and after."""

    class Action(models.TextChoices):
        CREATED = "created", _("Login created")
        ROLE = "role", _("Role or scope changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        PASSWORD_RESET = "password_reset", _("Initial password issued")
        UNLOCKED = "unlocked", _("Unlocked")

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    before = models.CharField(_("before"), max_length=200, blank=True)
    after = models.CharField(_("after"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account change")
        verbose_name_plural = _("account changes")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.account} {self.get_action_display()}"
