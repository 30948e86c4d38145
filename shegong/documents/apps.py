from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "shegong.documents"
    verbose_name = "Word 文档"
