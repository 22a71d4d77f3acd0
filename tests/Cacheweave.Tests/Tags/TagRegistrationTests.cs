using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Tags;

public sealed class TagRegistrationTests
{
    [Fact]
    public void A_tag_naming_an_unknown_parameter_fails_at_registration_naming_method_and_template() =>
        FailsAtRegistration<IUnknownTagParameter>(nameof(IUnknownTagParameter.GetAsync), "\"user:{id}\"", "'id'");

    [Fact]
    public void A_tag_naming_an_unknown_property_fails_at_registration_naming_method_and_template() =>
        FailsAtRegistration<IUnknownTagProperty>(nameof(IUnknownTagProperty.SearchAsync), "\"tenant:{filter.Tenant}\"", "'Tenant'");

    [Fact]
    public void InvalidatesCache_without_tags_or_method_fails_at_registration() =>
        FailsAtRegistration<IInvalidatesNothing>(nameof(IInvalidatesNothing.SaveAsync), "names no tag and no method");

    [Fact]
    public void InvalidatesCache_on_a_cached_method_fails_at_registration() =>
        FailsAtRegistration<IInvalidatesAndCached>(nameof(IInvalidatesAndCached.SaveAsync), "also [Cached]");

    [Fact]
    public void InvalidatesCache_naming_an_unknown_method_fails_at_registration() =>
        FailsAtRegistration<IInvalidatesUnknownMethod>(nameof(IInvalidatesUnknownMethod.SaveAsync), "\"Nope\"");

    [Fact]
    public void InvalidatesCache_whose_method_needs_a_parameter_it_lacks_fails_at_registration() =>
        FailsAtRegistration<IInvalidatesUnmatchedParameters>(nameof(IInvalidatesUnmatchedParameters.SaveAsync), "'region'");

    [Fact]
    public void InvalidatesCache_matching_two_overloads_fails_at_registration() =>
        FailsAtRegistration<IInvalidatesAmbiguousOverloads>(nameof(IInvalidatesAmbiguousOverloads.SaveAsync), "2 overloads");

    [Fact]
    public void InvalidatesCache_with_a_bad_template_fails_at_registration() =>
        FailsAtRegistration<IInvalidatesWithBadTemplate>(nameof(IInvalidatesWithBadTemplate.SaveAsync), "\"user:{user.Nope}\"", "[InvalidatesCache]");

    [Fact]
    public void A_cached_tag_over_a_parameter_left_out_of_the_key_fails_at_registration() =>
        FailsAtRegistration<ITagOverIgnoredParameter>(nameof(ITagOverIgnoredParameter.GetAsync), "\"trace:{trace}\"", "not part of the key");

    private static void FailsAtRegistration<TService>(params string[] expected)
        where TService : class
    {
        var services = new ServiceCollection();
        services.AddSingleton(Substitute.For<TService>());

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCachedProxy<TService>());

        Assert.Contains(typeof(TService).FullName!, error.Message, StringComparison.Ordinal);
        foreach (var part in expected)
        {
            Assert.Contains(part, error.Message, StringComparison.Ordinal);
        }
    }
}
