using System.Reflection;
using Cacheweave.Tags;

namespace Cacheweave.Tests.Tags;

/// <summary>
/// A tagged hit formats its tag keys; templates whose only hole is an immutable value remember them instead, and must
/// answer exactly what formatting would.
/// </summary>
public sealed class TagKeyMemoTests
{
    private static readonly MethodInfo Numbers = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Numbers))!;
    private static readonly MethodInfo Others = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Others))!;
    private static readonly MethodInfo Filtered = typeof(ITemplateShapes).GetMethod(nameof(ITemplateShapes.Filtered))!;

    [Theory]
    [InlineData("user:{id}")]
    [InlineData("name:{name}")]
    [InlineData("guid:{id}")]
    [InlineData("day:{day}")]
    [InlineData("flag:{flag}")]
    public void A_remembered_key_is_the_formatted_key_and_the_same_instance_next_time(string template)
    {
        var method = template.Contains("{name}", StringComparison.Ordinal) || template.Contains("{day}", StringComparison.Ordinal)
            || template.Contains("{flag}", StringComparison.Ordinal) || template.StartsWith("guid", StringComparison.Ordinal) ? Others : Numbers;
        var parsed = TagTemplate.Parse(method, template, "Cached");
        var format = parsed.Compile(TagKeys.Prefix);
        var keyOf = TagKeyMemo.Wrap(parsed, format);
        Assert.NotSame(format, keyOf);

        foreach (var arguments in Arguments(method))
        {
            var first = keyOf(arguments);
            Assert.Equal(format(arguments), first);
            Assert.Same(first, keyOf(arguments));
        }
    }

    [Fact]
    public void A_null_argument_formats_as_the_empty_hole_and_is_not_remembered()
    {
        var parsed = TagTemplate.Parse(Others, "name:{name}", "Cached");
        var format = parsed.Compile(TagKeys.Prefix);
        var keyOf = TagKeyMemo.Wrap(parsed, format);

        Assert.Equal(format([Guid.Empty, DayOfWeek.Monday, false, null, TimeSpan.Zero]), keyOf([Guid.Empty, DayOfWeek.Monday, false, null, TimeSpan.Zero]));
        Assert.Equal(0, ((TagKeyMemo)keyOf.Target!).Count);
    }

    [Theory]
    [InlineData("n:{id}:{ratio}")]
    [InlineData("ratio:{ratio}")]
    [InlineData("missing:{missing}")]
    public void Templates_with_several_holes_or_a_hole_of_another_type_are_not_wrapped(string template)
    {
        var parsed = TagTemplate.Parse(Numbers, template, "Cached");
        var format = parsed.Compile(TagKeys.Prefix);

        Assert.Same(format, TagKeyMemo.Wrap(parsed, format));
    }

    [Fact]
    public void A_hole_that_reads_a_property_of_an_argument_is_not_wrapped_because_the_argument_may_change()
    {
        var parsed = TagTemplate.Parse(Filtered, "tenant:{filter.TenantId}", "Cached");
        var format = parsed.Compile(TagKeys.Prefix);

        Assert.Same(format, TagKeyMemo.Wrap(parsed, format));
    }

    [Fact]
    public void A_full_memo_starts_again_and_keeps_answering_correctly()
    {
        var parsed = TagTemplate.Parse(Numbers, "user:{id}", "Cached");
        var format = parsed.Compile(TagKeys.Prefix);
        var keyOf = TagKeyMemo.Wrap(parsed, format);
        var memo = (TagKeyMemo)keyOf.Target!;

        for (var id = 0; id < (3 * TagKeyMemo.Capacity) + 7; id++)
        {
            object?[] arguments = [id, 0.0, 0m, null];
            Assert.Equal(format(arguments), keyOf(arguments));
            Assert.InRange(memo.Count, 1, TagKeyMemo.Capacity);
        }
    }

    [Fact]
    public void A_remembered_key_allocates_nothing()
    {
        var parsed = TagTemplate.Parse(Numbers, "user:{id}", "Cached");
        var keyOf = TagKeyMemo.Wrap(parsed, parsed.Compile(TagKeys.Prefix));
        object?[] arguments = [42, 0.0, 0m, null];
        keyOf(arguments);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            keyOf(arguments);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static IEnumerable<object?[]> Arguments(MethodInfo method) => method == Numbers
        ? Enumerable.Range(-3, 7).Select(id => new object?[] { id, 0.5, 1m, null })
        : [
            [Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), DayOfWeek.Friday, true, "ada", TimeSpan.Zero],
            [Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7"), DayOfWeek.Sunday, false, "grace", TimeSpan.FromSeconds(1)],
            [Guid.Empty, DayOfWeek.Monday, true, string.Empty, TimeSpan.Zero],
        ];
}
