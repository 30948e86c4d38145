from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "shegong.articles"
    verbose_name = "新闻简讯"
