"""Password policy: at least 8 characters drawn from at least 3 of 4 character classes."""

import string

from django.core.exceptions import ValidationError

CLASSES = (
    ("小写字母", lambda c: c in string.ascii_lowercase),
    ("大写字母", lambda c: c in string.ascii_uppercase),
    ("数字", lambda c: c in string.digits),
    ("符号", lambda c: not c.isalnum() and not c.isspace()),
)


class ComplexityValidator:
    def __init__(self, min_length=8, min_classes=3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password, user=None):
        errors = []
        if len(password) < self.min_length:
            errors.append(f"密码至少需要 {self.min_length} 个字符。")
        used = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(used) < self.min_classes:
            errors.append(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.min_classes} 类"
                f"（当前只有 {len(used)} 类）。"
            )
        if errors:
            raise ValidationError(errors, code="password_too_simple")

    def get_help_text(self):
        return (
            f"至少 {self.min_length} 个字符，包含小写字母、大写字母、数字、符号中的"
            f"至少 {self.min_classes} 类。"
        )
