using System.Globalization;
using System.Reflection;
using Cacheweave.Tags;

namespace Cacheweave.Tests.Tags;

public sealed class TagTemplateTests
{
    private static readonly MethodInfo Numbers = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Numbers))!;
    private static readonly MethodInfo Dates = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Dates))!;
    private static readonly MethodInfo Others = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Others))!;
    private static readonly MethodInfo Filtered = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Filtered))!;

    [Fact]
    public void Numbers_are_formatted_with_the_invariant_culture_whatever_the_current_culture()
    {
        var tag = InCulture("de-DE", () => TagTemplate.Parse(Numbers, "n:{id}|{ratio}|{price}|{missing}", "Cached")
            .Format([1234567, 1.5, 2.25m, null]));

        Assert.Equal("n:1234567|1.5|2.25|", tag);
    }

    [Fact]
    public void Dates_and_times_are_formatted_in_ISO_8601_round_trip_form()
    {
        var at = new DateTime(2026, 11, 30, 5, 6, 7, DateTimeKind.Utc);
        var offset = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));
        var tag = InCulture("de-DE", () => TagTemplate.Parse(Dates, "{at}/{offset}/{day}/{time}", "Cached")
            .Format([at, offset, new DateOnly(2026, 3, 4), new TimeOnly(13, 14, 15)]));

        Assert.Equal("2026-11-30T05:06:07.0000000Z/2026-01-02T03:04:05.0000000+02:00/2026-03-04/13:14:15.0000000", tag);
    }

    [Fact]
    public void Guids_enums_booleans_strings_and_spans_are_formatted_invariantly_and_null_as_empty()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var tag = InCulture("de-DE", () => TagTemplate.Parse(Others, "{id}:{day}:{flag}:{name}:{span}", "Cached")
            .Format([id, DayOfWeek.Friday, true, null, TimeSpan.FromMinutes(90)]));

        Assert.Equal("0f8fad5b-d9cb-469f-a165-70867728950e:Friday:True::01:30:00", tag);
    }

    [Fact]
    public void A_property_of_a_parameter_fills_a_hole_and_a_null_parameter_formats_as_empty()
    {
        var template = TagTemplate.Parse(Filtered, "tenant:{filter.TenantId}:{filter.Region}:{filter.Since}", "Cached");

        var since = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        Assert.Equal("tenant:7:eu:2026-01-01T00:00:00.0000000", InCulture("de-DE", () => template.Format([new OrderFilter(7, "eu", since), null])));
        Assert.Equal("tenant:::", template.Format([null, null]));
    }

    [Fact]
    public void A_nullable_parameter_formats_its_value_or_empty()
    {
        var template = TagTemplate.Parse(Filtered, "t{tenantId}", "Cached");

        Assert.Equal("t12", template.Format([null, 12]));
        Assert.Equal("t", template.Format([null, null]));
    }

    [Fact]
    public void Doubled_braces_are_literal_braces_and_a_template_without_holes_is_constant()
    {
        Assert.Equal("{x}:5", TagTemplate.Parse(Numbers, "{{x}}:{id}", "Cached").Format([5, 0.0, 0m, null]));
        Assert.Equal("catalog", TagTemplate.Parse(Numbers, "catalog", "Cached").Format([5, 0.0, 0m, null]));
    }

    [Fact]
    public void Compile_puts_the_prefix_in_front_of_the_tag()
    {
        var keyOf = TagTemplate.Parse(Numbers, "user:{id}", "Cached").Compile(TagKeys.Prefix);

        Assert.Equal("cw:tag:user:42", keyOf([42, 0.0, 0m, null]));
    }

    [Theory]
    [InlineData("user:{userId}", "'userId'")]
    [InlineData("t:{filter.Tenant}", "'Tenant'")]
    [InlineData("t:{filter.TenantId.Value}", "one level")]
    [InlineData("t:{filter", "not closed")]
    [InlineData("t:filter}", "closes no hole")]
    [InlineData("t:{}", "not a parameter name")]
    [InlineData("t:{a{b}", "not closed")]
    [InlineData("", "empty")]
    public void A_template_that_cannot_be_filled_fails_naming_the_method_and_the_template(string template, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => TagTemplate.Parse(Filtered, template, "Cached"));

        Assert.Contains($"{typeof(ITemplateShapes).FullName}.{nameof(ITemplateShapes.Filtered)}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{template}\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static T InCulture<T>(string culture, Func<T> action)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return action();
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
