"""The integrity archive (廉政档案) of each cadre.

An entry is one report or finding about a cadre, from one of the sources the county watches
(the 12380 platform, the ten-department joint meeting, personal-matters reports...). A report
is an allegation until it is verified. Who reported is kept apart in ``IntegrityReporter``,
which only holders of ``read_integrity_reporter`` may see. Every read of the archive is written
to ``IntegrityReadLog``.

Reading needs the ``read_integrity_archive`` permission (the office role does not imply it);
see ``cadres.views.integrity``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .organization import Cadre

__all__ = ["IntegrityEntry", "IntegrityReadLog", "IntegrityReporter", "Sanction"]


class IntegrityEntry(models.Model):
    """One report or finding in a cadre's integrity archive."""

    class Source(models.TextChoices):
        PHONE_12380 = "12380_phone", _("12380 reporting phone")
        SMS_12380 = "12380_sms", _("12380 SMS")
        LETTER_12380 = "12380_letter", _("12380 letter")
        WEBSITE_12380 = "12380_web", _("12380 reporting website")
        JOINT_MEETING = "joint_meeting", _("Ten-department joint meeting")
        PERSONAL_MATTERS = "personal_matters", _("Personal-matters report")
        DEPARTURE_AUDIT = "departure_audit", _("Departure audit")
        SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
        REPORTING_PHONE = "reporting_phone", _("Public reporting phone")
        ONLINE_SUPERVISOR = "online_supervisor", _("Online supervisor")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        VERIFYING = "verifying", _("Being verified")
        VERIFIED = "verified", _("Verified")
        PARTLY = "partly", _("Partly verified")
        UNFOUNDED = "unfounded", _("Unfounded")

    CONCLUDED = (Status.VERIFIED, Status.PARTLY, Status.UNFOUNDED)
    """Statuses that close the verification: they carry a date and a conclusion."""
    VIOLATION = (Status.VERIFIED, Status.PARTLY)
    """Statuses that make the entry a verified violation (no longer an allegation)."""

    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="integrity_entries",
    )
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    verified_on = models.DateField(_("verification concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("integrity archive entry")
        verbose_name_plural = _("integrity archive entries")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("read_integrity_archive", _("Can read the integrity archive")),
            ("read_integrity_reporter", _("Can see who reported")),
            ("read_integrity_log", _("Can read the integrity read log")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["verified", "partly", "unfounded"])
                | (Q(verified_on__isnull=False) & ~Q(conclusion="")),
                name="cadres_integrityentry_concluded_has_date_and_conclusion",
                violation_error_message=_(
                    "A concluded verification needs the date it concluded and a conclusion."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["verified", "partly", "unfounded"])
                | Q(verified_on__isnull=True),
                name="cadres_integrityentry_open_has_no_verification_date",
                violation_error_message=_("An open entry has no verification date yet."),
            ),
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True) | Q(verified_on__gte=F("received_on")),
                name="cadres_integrityentry_verified_after_received",
                violation_error_message=_(
                    "The verification cannot conclude before the report was received."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "verified_on"], name="cadres_integ_status_verif_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.received_on} {self.get_source_display()}"

    @property
    def is_allegation(self) -> bool:
        """Not (yet) verified: an allegation only."""
        return self.status not in self.VIOLATION


class IntegrityReporter(models.Model):
    """Who made a report, kept apart from the entry. Absent for anonymous reports.

    Only holders of ``read_integrity_reporter`` see it, on the entry's own page; no other page
    loads it, and ``__str__`` does not reveal it."""

    entry = models.OneToOneField(
        IntegrityEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="reporter",
    )
    name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    contact = models.CharField(_("reporter's contact"), max_length=100, blank=True)
    note = models.TextField(_("note on the reporter"), blank=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(contact=""),
                name="cadres_integrityreporter_name_or_contact",
                violation_error_message=_("Give the reporter's name or contact."),
            ),
        ]

    def __str__(self):
        # Never the name: this string may end up in logs and messages.
        return f"{_('reporter')} #{self.entry_id}"


class Sanction(models.Model):
    """A disciplinary sanction (party discipline, government sanction or admonishment) and the
    dates it is in force. ``in_force_until`` empty: in force until further notice."""

    class Kind(models.TextChoices):
        PARTY_WARNING = "party_warning", _("Party warning")
        PARTY_SERIOUS_WARNING = "party_serious_warning", _("Party serious warning")
        PARTY_POST_REMOVAL = "party_post_removal", _("Removal from party posts")
        PARTY_PROBATION = "party_probation", _("Probation within the party")
        PARTY_EXPULSION = "party_expulsion", _("Expulsion from the party")
        WARNING = "warning", _("Warning")
        DEMERIT = "demerit", _("Demerit")
        MAJOR_DEMERIT = "major_demerit", _("Major demerit")
        DEMOTION = "demotion", _("Demotion")
        DISMISSAL = "dismissal", _("Dismissal from post")
        EXPULSION = "expulsion", _("Expulsion from public employment")
        ADMONISHMENT = "admonishment", _("Admonishment")

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="sanctions"
    )
    entry = models.ForeignKey(
        IntegrityEntry,
        verbose_name=_("based on entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    decided_on = models.DateField(_("decided on"))
    in_force_from = models.DateField(_("in force from"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        ordering = ["-in_force_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=F("in_force_from")),
                name="cadres_sanction_until_after_from",
                violation_error_message=_("A sanction cannot end before it comes into force."),
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__gte=F("decided_on")),
                name="cadres_sanction_in_force_after_decided",
                violation_error_message=_(
                    "A sanction cannot come into force before it was decided."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["cadre", "in_force_from"], name="cadres_sanction_cadre_from_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.in_force_from}"

    def in_force_on(self, day) -> bool:
        """In force on ``day``, both boundary dates included."""
        return self.in_force_from <= day and (
            self.in_force_until is None or day <= self.in_force_until
        )


class IntegrityReadLog(models.Model):
    """One read of a cadre's integrity archive: who, whose, what, when, from where."""

    class Action(models.TextChoices):
        # Labelled by what the page showed: the archive's list, one entry, who reported it
        # (opened on demand), the entries the sanction form offers to link.
        ARCHIVE = "archive", _("The archive's list of entries and sanctions")
        ENTRY = "entry", _("One entry (without who reported)")
        REPORTER = "reporter", _("Who reported an entry (opened on demand)")
        SANCTION_FORM = "sanction_form", _("The entries listed by the sanction form")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("read by"),
        on_delete=models.PROTECT,
        related_name="integrity_reads",
    )
    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="integrity_reads",
    )
    entry = models.ForeignKey(
        IntegrityEntry,
        verbose_name=_("entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reads",
    )
    action = models.CharField(_("what was read"), max_length=16, choices=Action.choices)
    at = models.DateTimeField(_("read at"), auto_now_add=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("integrity archive read")
        verbose_name_plural = _("integrity archive read log")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["archive", "sanction_form"]) | Q(entry__isnull=False),
                name="cadres_integrityreadlog_entry_read_names_entry",
                violation_error_message=_("A read of an entry must name the entry."),
            ),
        ]
        indexes = [models.Index(fields=["-at", "-id"], name="cadres_integ_read_at_idx")]

    def __str__(self):
        return f"{self.user_id} {self.get_action_display()} {self.cadre_id} {self.at}"
