from django.contrib import admin

from .models import AssessmentYear, CategoryWeights, Indicator


class WeightsInline(admin.TabularInline):
    model = CategoryWeights
    extra = 0


@admin.register(AssessmentYear)
class AssessmentYearAdmin(admin.ModelAdmin):
    list_display = ("year", "county", "status")
    list_filter = ("status",)
    inlines = [WeightsInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "year", "category", "method", "max_points", "is_veto")
    list_filter = ("year", "category", "method")
    search_fields = ("code", "name")
    raw_id_fields = ("parent", "lead_department")
