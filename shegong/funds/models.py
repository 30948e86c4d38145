"""Community funds (社区基金) of stations and rooms: an append-only ledger of donations in
cash and in kind and of spending, which activities' 链接资金 and 链接物资折价 reconcile with.
A mistake is never edited away: a reversing entry (冲正) cancels it and stays in the ledger."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shegong.activities.models import Activity
from shegong.orgs.models import OrgUnit
from shegong.orgs.tree import PathField

ANONYMOUS = "匿名"


class Fund(models.Model):
    unit = models.ForeignKey(
        OrgUnit, verbose_name="管理单位", on_delete=models.PROTECT, related_name="funds"
    )
    # A copy of the unit's path, kept in step by orgs.move_unit (tree.move_copies, apps.py).
    unit_path = PathField(max_length=255, editable=False)
    name = models.CharField("基金名称", max_length=100)
    opened_on = models.DateField("设立日期")
    # Cash held now; changed only by services.add_entry under a lock on this row.
    balance = models.DecimalField("资金余额（元）", max_digits=14, decimal_places=2, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "社区基金"
        ordering = ["unit_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="fund_unit_name"),
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_not_negative"),
        ]
        indexes = [models.Index(fields=["unit_path", "name"], name="fund_path_name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("fund_detail", args=[self.pk])


class EntryKind(models.TextChoices):
    CASH = "cash", "捐赠资金"
    INKIND = "inkind", "捐赠物资"
    SPENDING = "spending", "支出"


class FundEntry(models.Model):
    """One line of a fund's ledger. `amount` is positive for an entry and the exact negative
    of the entry it reverses for a 冲正, so sums over a kind are net of corrections."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    unit_path = PathField(max_length=255, editable=False)
    kind = models.CharField("类别", max_length=10, choices=EntryKind.choices)
    date = models.DateField("日期")
    amount = models.DecimalField("金额（元）", max_digits=14, decimal_places=2)
    donor = models.CharField("捐赠方", max_length=100, blank=True)
    items = models.CharField("物资名称及数量", max_length=200, blank=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    activity = models.ForeignKey(
        Activity,
        verbose_name="关联活动",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fund_entries",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name="冲正的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("记账时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "基金收支记录"
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
                name="fundentry_amount_sign",
            ),
        ]
        indexes = [
            models.Index(fields=["fund", "date", "id"], name="fundentry_fund_date"),
            models.Index(fields=["unit_path", "date"], name="fundentry_path_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def is_reversal(self):
        return self.reverses_id is not None

    @property
    def cash_effect(self):
        """What this entry does to the cash balance."""
        if self.kind == EntryKind.CASH:
            return self.amount
        if self.kind == EntryKind.SPENDING:
            return -self.amount
        return 0

    @property
    def counterpart(self):
        """Donor, items or purpose: who or what the line is about, for the ledger."""
        if self.kind == EntryKind.SPENDING:
            return self.purpose
        if self.kind == EntryKind.INKIND:
            return f"{self.donor}：{self.items}"
        return self.donor
