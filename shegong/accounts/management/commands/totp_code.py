"""`shegong totp-code 账号`: the current code of a demo account's authenticator, for trying
the demo without an authenticator app. Only with DEBUG on, and only for accounts that use
the published demo key: it reveals nothing that the README does not."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "打印演示账号身份验证器当前的 6 位验证码（仅限 DEBUG 模式下使用演示密钥的账号）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="演示账号，如 donghe_admin")

    def handle(self, *args, username, **options):
        from shegong.demo.users import DEMO_TOTP_KEY

        if not settings.DEBUG:
            raise CommandError("此命令只在 DEBUG 模式（make run）下可用。")
        device = TOTPDevice.objects.filter(
            user__username=username, confirmed=True, key=DEMO_TOTP_KEY
        ).first()
        if device is None:
            raise CommandError(f"“{username}”不是使用演示密钥的演示账号。")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
