"""Demo accounts: one per role at every level of the 内蒙古 chain, a few elsewhere,
and the three platform roles. All share DEMO_PASSWORD (demo only); the administrators and
the platform roles, who must use a second factor, share the authenticator key
DEMO_TOTP_SECRET (demo only: `shegong totp-code 账号` prints the current code)."""

from base64 import b32decode

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from shegong.accounts.models import PlatformRole
from shegong.orgs.models import Membership, OrgUnit, Role

DEMO_PASSWORD = "Shegong@2026"
# Published in the README: type it into an authenticator app as a time-based key.
DEMO_TOTP_SECRET = "SHEGONGDEMOTOTPSECRETKEYFORDEMOS"
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()

ROLE_SUFFIX = {
    Role.ADMIN: "admin",
    Role.REVIEWER: "reviewer",
    Role.FILLER: "filler",
    Role.VIEWER: "viewer",
}

# (username prefix, unit code): every role at each of these units.
EVERY_ROLE = [
    ("mca", "MCA"),  # 民政部
    ("nmg", "150000000000"),  # 内蒙古自治区民政厅
    ("baotou", "150200000000"),  # 包头市民政局
    ("donghe", "150202000000"),  # 东河区民政局
    ("xinaobao", "S150202003"),  # 西脑包街道社会工作服务站
    ("hongyuan", "R150202003013"),  # 宏源社区社会工作室
    ("nanchuan", "500119000000"),  # 南川区民政局
    ("dongcheng", "S500119001"),  # 东城街道社会工作站
]

# A few more units with just an administrator and a filler.
ADMIN_AND_FILLER = [
    ("heping", "S150202001"),  # 和平路街道社会工作服务站
    ("manzhouli", "150781000000"),  # 满洲里市民政局
    ("gd", "440000000000"),  # 广东省民政厅
    ("gz", "440100000000"),  # 广州市民政局
    ("cq", "500000000000"),  # 重庆市民政局
    ("xicheng", "S500119003"),  # 西城街道社会工作站
    ("tongxin", "O500119-01"),  # 南川区同心社会工作服务中心
]

# Demo people get ordinary names, so pages look like a real bureau's.
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
]


def _person(n):
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)]


PLATFORM = [
    ("sysadmin", PlatformRole.SYSTEM),
    ("secadmin", PlatformRole.SECURITY),
    ("auditadmin", PlatformRole.AUDIT),
]


def _user(username, full_name, password_hash, platform_role=""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "platform_role": platform_role,
            "must_change_password": False,  # demo only: real accounts must change it
            "password_changed_at": timezone.now(),
        },
    )
    if created:
        user.password = password_hash
        user.save(update_fields=["password"])
    return user


def _enrol(user):
    """The demo authenticator: the same published key for every demo account that must
    use a second factor, so one app entry serves them all."""
    TOTPDevice.objects.get_or_create(
        user=user,
        confirmed=True,
        defaults={"name": "演示身份验证器", "key": DEMO_TOTP_KEY},
    )


def build():
    """Create the demo accounts; returns rows (username, unit, role) for printing."""
    rows = []
    # One hash for every demo account: hashing is deliberately slow (~0.3 s each).
    password_hash = make_password(DEMO_PASSWORD)
    plan = [
        (p, c, list(ROLE_SUFFIX)) for p, c in EVERY_ROLE
    ]  # 个案社工 is granted in demo.casework
    plan += [(p, c, [Role.ADMIN, Role.FILLER]) for p, c in ADMIN_AND_FILLER]
    for prefix, code, roles in plan:
        unit = OrgUnit.objects.get(code=code)
        for role in roles:
            username = f"{prefix}_{ROLE_SUFFIX[role]}"
            user = _user(username, _person(len(rows)), password_hash)
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
            if role == Role.ADMIN:
                _enrol(user)
            rows.append((username, unit.name, role.label))
    for username, role in PLATFORM:
        _enrol(_user(username, role.label, password_hash, platform_role=role))
        rows.append((username, "（平台）", role.label))
    return rows
