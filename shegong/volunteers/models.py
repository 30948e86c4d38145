"""Volunteers and teams registered at a station, their sign-ups to the station's activities,
and the time bank: an append-only ledger of hours per volunteer (earned by serving, spent on
services received, mistakes reversed by a new entry, never edited)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from shegong.activities.models import Activity
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField


class Team(models.Model):
    station = models.ForeignKey(
        OrgUnit, verbose_name="所属站点", on_delete=models.PROTECT, related_name="+"
    )
    station_path = PathField(max_length=255, editable=False)
    name = models.CharField("队伍名称", max_length=100)
    leader_name = models.CharField("队长", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "志愿服务队"
        ordering = ["station_path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["station", "name"], name="volunteer_team_unique")
        ]
        indexes = [models.Index(fields=["station_path"], name="volunteer_team_path")]

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    station = models.ForeignKey(
        OrgUnit, verbose_name="所属站点", on_delete=models.PROTECT, related_name="+"
    )
    station_path = PathField(max_length=255, editable=False)
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号码", max_length=20)
    team = models.ForeignKey(
        Team,
        verbose_name="所属队伍",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    skills = models.CharField("特长", max_length=200, blank=True)
    registered_on = models.DateField("注册日期", default=timezone.localdate)
    is_active = models.BooleanField("在册", default=True)
    # The time bank's balance, kept by the ledger services under a row lock on this row; it
    # always equals the sum of the volunteer's entries (the last entry's balance_after).
    balance = models.DecimalField(
        "时间余额（小时）", max_digits=8, decimal_places=1, default=Decimal("0.0"), editable=False
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "志愿者"
        ordering = ["station_path", "name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="volunteer_balance_positive")
        ]
        indexes = [
            models.Index(fields=["station_path", "registered_on"], name="volunteer_path_date")
        ]

    def __str__(self):
        return self.name


class SignUp(models.Model):
    """A volunteer signed up to one of the station's activities; `hours` once recorded."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, related_name="signups")
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(
        "服务时长（小时）", max_digits=6, decimal_places=1, null=True, blank=True
    )
    # The earned entry that credited the hours; cleared when that entry is reversed.
    entry = models.OneToOneField(
        "Entry", null=True, blank=True, on_delete=models.PROTECT, related_name="signup"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("报名时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动报名"
        ordering = ["activity", "id"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "activity"], name="signup_unique"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="signup_hours_positive"),
        ]

    def __str__(self):
        return f"{self.volunteer} → {self.activity}"


class EntryKind(models.TextChoices):
    EARNED = "earned", "服务获得"
    SPENT = "spent", "兑换服务"
    REVERSAL = "reversal", "冲正"


class Entry(models.Model):
    """One line of a volunteer's time-bank statement. `hours` is what the line is about
    (always > 0); `delta` what it did to the balance (+ earned, − spent, the opposite of the
    reversed line for a reversal); `balance_after` the balance it left. Never updated."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.PROTECT, related_name="entries"
    )
    station_path = PathField(max_length=255, editable=False)
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    hours = models.DecimalField("小时数", max_digits=6, decimal_places=1)
    delta = models.DecimalField("余额变动", max_digits=6, decimal_places=1)
    balance_after = models.DecimalField("变动后余额", max_digits=8, decimal_places=1)
    activity = models.ForeignKey(
        Activity,
        verbose_name="服务的活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("记账时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "时间银行记录"
        ordering = ["volunteer", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="entry_hours_positive"),
            models.CheckConstraint(
                condition=Q(delta=F("hours")) | Q(delta=-F("hours")), name="entry_delta_is_hours"
            ),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="entry_balance_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind="earned", delta__gt=0)
                | Q(kind="spent", delta__lt=0)
                | Q(kind="reversal", reverses__isnull=False),
                name="entry_kind_sign",
            ),
        ]
        indexes = [models.Index(fields=["station_path", "at"], name="entry_path_at")]

    def __str__(self):
        return f"{self.volunteer} {self.get_kind_display()} {self.delta:+}"
