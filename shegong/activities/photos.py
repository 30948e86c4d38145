"""Photos people upload: checked by content (JPEG, PNG, WebP only), shrunk to a sensible
size, and re-encoded without EXIF, so no camera location leaves the building."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SIDE = 1920


def clean_image(upload):
    """(ContentFile, width, height) of a safe copy of the upload, or a Chinese error."""
    name = getattr(upload, "name", "照片")
    limit = settings.PHOTO_MAX_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            f"照片“{name}”大小为 {upload.size / 1024 / 1024:.1f} MB，"
            f"超过上限 {settings.PHOTO_MAX_MB} MB。"
        )
    try:
        image = Image.open(upload)
        kind = image.format
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            f"“{name}”不是可以识别的图片，请上传 JPG、PNG 或 WebP 照片。"
        ) from None
    if kind not in FORMATS:
        raise ValidationError(f"“{name}”是 {kind} 格式，请另存为 JPG、PNG 或 WebP 后上传。")
    # Phones store rotation in EXIF; apply it before EXIF is dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 85, "optimize": True} if kind in ("JPEG", "WEBP") else {}
    image.save(out, format=kind, **options)  # no exif= argument: metadata is not copied
    stem = name.rsplit(".", 1)[0][:80] or "photo"
    return ContentFile(out.getvalue(), name=f"{stem}.{FORMATS[kind]}"), image.width, image.height
