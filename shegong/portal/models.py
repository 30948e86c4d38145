"""The public page of a service platform (seed 000 (三)): what a station tells its
residents, maintained by the station and shown on the portal only once it chooses to."""

from django.db import models

from shegong.orgs.models import OrgUnit


class StationPage(models.Model):
    unit = models.OneToOneField(OrgUnit, on_delete=models.CASCADE, related_name="public_page")
    place_name = models.CharField("服务场所名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    services = models.TextField("服务内容", blank=True)
    service_list = models.TextField("服务清单", blank=True, help_text="每行一项。")
    staff = models.TextField("服务人员", blank=True, help_text="每行一人，如：张敏 社会工作师")
    process = models.TextField("服务流程", blank=True, help_text="每行一步。")
    contact = models.CharField("联系方式", max_length=100, blank=True)
    hours = models.CharField("服务时间", max_length=100, blank=True)
    is_public = models.BooleanField("在门户网站公开", default=False)
    # What else the station chooses to disclose (seed 004's 信息公开), in aggregate only.
    show_volunteers = models.BooleanField("公开志愿者人数和服务时长", default=False)
    show_funds = models.BooleanField("公开社区基金收支合计", default=False)
    show_ratings = models.BooleanField("公开服务评价平均分", default=False)
    show_cases = models.BooleanField("公开建档服务人数", default=False)
    # Bumped by each edit: a form opened at an older version cannot overwrite it.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "服务场所公开信息"

    def __str__(self):
        return self.place_name

    @staticmethod
    def _lines(text):
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def service_items(self):
        return self._lines(self.service_list)

    @property
    def staff_items(self):
        return self._lines(self.staff)

    @property
    def process_steps(self):
        return self._lines(self.process)
