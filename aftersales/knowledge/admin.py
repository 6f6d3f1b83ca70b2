"""The knowledge base in 后台管理: the vocabulary (dictionary words, synonym groups) is data
the administrator edits here — an edit changes the ranking within the vocabulary cache
period, without a restart. Cases and articles change only through their services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aftersales.core.admin import BusinessAdmin
from aftersales.knowledge.models import Article, Case, DictionaryWord, Feedback, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(BusinessAdmin):
    list_display = ["name", "category", "terms", "archived_at"]
    list_filter = ["category"]
    search_fields = ["name", "terms"]


@admin.register(DictionaryWord)
class DictionaryWordAdmin(BusinessAdmin):
    list_display = ["word", "kind", "category", "archived_at"]
    list_filter = ["kind", "category"]
    search_fields = ["word"]


class ReadOnlyAdmin(BusinessAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "state", "is_public", "solved_count", "not_relevant_count"]
    list_filter = ["state", "category", "is_public"]
    search_fields = ["title", "phenomenon", "codes", "external_id"]
    exclude = ["keys_main", "keys_more", "search_text", "search_pinyin"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "category", "state", "is_public"]
    list_filter = ["state", "kind"]
    search_fields = ["title"]
    exclude = ["keys_main", "keys_more", "search_text", "search_pinyin"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["case", "verdict", "user", "ticket", "created_at"]
    list_filter = ["verdict"]
