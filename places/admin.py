from django.contrib import admin

from places.models import Place
from places.services import place_derived_fields_set


class CategoryFilter(admin.SimpleListFilter):
    """Places having a category among any of theirs, not only as the primary one."""

    title = "category"
    parameter_name = "category"

    def lookups(self, request, model_admin):
        primaries = Place.objects.order_by("category").values_list("category", flat=True)
        return [(name, name) for name in primaries.distinct() if name]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # JSON containment differs between SQLite and PostgreSQL; a quoted-string match on
        # the stored JSON text works on both and is exact for category names.
        quoted = '"' + self.value().replace("\\", "\\\\").replace('"', '\\"') + '"'
        return queryset.filter(categories__icontains=quoted)


class SourceFilter(admin.SimpleListFilter):
    title = "source"
    parameter_name = "source"

    def lookups(self, request, model_admin):
        sources = Place.objects.order_by("source").values_list("source", flat=True).distinct()
        return [(name, name) for name in sources]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "city", "country", "source", "external_id", "lat", "lon"]
    list_filter = [SourceFilter, CategoryFilter]
    search_fields = ["name"]
    ordering = ["name"]
    readonly_fields = ["search_name", "h3_fine", "h3_coarse", "import_run"]
    # Counting a million rows for every page view is not worth it.
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        place_derived_fields_set(obj)
        super().save_model(request, obj, form, change)
