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

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return f"{self.user.get_username()} ({self.get_role_display()})"
