"""The admin of the organization, for superusers (kaohe.lib.admin). Everything that keeps
other data in step is written through the services or is read-only here: a unit's place in
the tree (its path), a cadre's unit (a move records a post), an account's role (its group)."""

from django.contrib import admin

from . import services
from .models import Account, Cadre, Post, Unit
from .services.organization import UNIT_EDITABLE

UNIT_CREATE = ("code", "name", "kind", "short_name", "sort_order", "established_on", "head_email")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "path")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    list_select_related = ("parent",)

    def get_readonly_fields(self, request, obj=None):
        # A new unit chooses its parent; moving one is the app's unit page (unit_update moves
        # the whole subtree's paths with it).
        return ("path", "depth") if obj is None else ("parent", "path", "depth")

    def save_model(self, request, obj, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in UNIT_EDITABLE}
        if change:
            services.unit_update(unit=Unit.objects.get(pk=obj.pk), **data)
        else:
            created = services.unit_create(
                parent=form.cleaned_data.get("parent"),
                **{k: v for k, v in data.items() if k in UNIT_CREATE},
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth


class PostInline(admin.TabularInline):
    """Posts are history: the app's 新任职务 page records them (cadre_move)."""

    model = Post
    extra = 0
    can_delete = False
    readonly_fields = ("unit", "title", "rank", "started_on", "ended_on")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Cadre)
class CadreAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "unit", "title", "rank", "is_leading", "is_principal")
    list_filter = ("unit__kind", "rank", "post_kind", "is_leading")
    search_fields = ("name", "number")
    list_select_related = ("unit",)
    raw_id_fields = ("user",)
    # The post fields change only with a move, which records the post (cadre_move).
    readonly_fields = ("unit", "title", "rank", "post_kind", "is_leading", "is_principal")
    inlines = [PostInline]

    def has_add_permission(self, request) -> bool:
        return False  # a cadre starts with a post: the app's 新增干部 page (cadre_create)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    list_select_related = ("user", "unit")
    raw_id_fields = ("user", "unit")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user",)

    def save_model(self, request, obj, form, change):
        role, unit = form.cleaned_data["role"], form.cleaned_data["unit"]
        if change:
            services.account_update(
                account=Account.objects.get(pk=obj.pk), role=role, unit=unit, by=request.user
            )
        else:
            user = form.cleaned_data["user"]
            obj.pk = services.account_grant(
                user=user, role=role, unit=unit, cadre=getattr(user, "cadre", None)
            ).pk
