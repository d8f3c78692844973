from django.contrib import admin

from .models import Account, Cadre, Post, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    readonly_fields = ("path", "depth")
    list_select_related = ("parent",)


class PostInline(admin.TabularInline):
    model = Post
    extra = 0


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "unit", "title", "rank", "is_leading", "is_principal")
    list_filter = ("unit__kind", "rank", "post_kind", "is_leading")
    search_fields = ("name", "number")
    list_select_related = ("unit",)
    raw_id_fields = ("unit", "user")
    inlines = [PostInline]


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    raw_id_fields = ("user", "unit")
