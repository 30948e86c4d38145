"""Finding the notice a command names by its 文号, with the messages both exports give."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from shegong.campaigns.models import Notice, parse_doc_number

NOT_FOUND = 2


def notice_by_number(number, issuer=None):
    """The notice numbered `number` (as shown, [2022] and (2022) accepted), of the unit
    coded `issuer` where two issuers share a number; CommandError (exit 2) otherwise."""
    try:
        prefix, year, serial = parse_doc_number(number)
    except ValidationError as e:
        raise CommandError(e.messages[0], returncode=NOT_FOUND) from None
    shown = f"{prefix}〔{year}〕{serial}号"
    notices = Notice.objects.filter(doc_prefix=prefix, doc_year=year, doc_serial=serial)
    if issuer:
        notices = notices.filter(issuer__code=issuer)
    found = list(notices.select_related("issuer", "parent")[:10])
    if not found:
        where = f"发文单位代码为“{issuer}”、" if issuer else ""
        raise CommandError(f"没有找到{where}文号为“{shown}”的通知。", returncode=NOT_FOUND)
    if len(found) > 1:
        units = "、".join(f"{n.issuer.name}（{n.issuer.code}）" for n in found)
        raise CommandError(
            f"文号“{shown}”有多个发文单位使用：{units}。请用 --issuer 指定发文单位代码。",
            returncode=NOT_FOUND,
        )
    return found[0]
