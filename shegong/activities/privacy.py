"""Masking personal information of the people served (PIPL; GB/T 35273 display rule).

Masking happens on the server, before anything reaches a page or an export.
"""

import re


def mask_name(name):
    """张三丰 -> 张**; keeps the surname only."""
    name = (name or "").strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone):
    """13812341234 -> 138****1234; landlines keep the last 4 digits."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_address(address):
    """Keep the part up to the street or township; hide the rest."""
    address = (address or "").strip()
    match = re.match(r"^(.*?(?:街道|镇|乡|苏木|社区|村))", address)
    kept = match.group(1) if match else address[:4]
    return kept + "****" if len(address) > len(kept) else kept
