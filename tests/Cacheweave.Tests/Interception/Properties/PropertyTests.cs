using Microsoft.Extensions.DependencyInjection;
using NSubstitute;

namespace Cacheweave.Tests.Interception.Properties;

public sealed class PropertyTests
{
    [Fact]
    public void A_settable_property_under_an_interface_wide_Cached_returns_the_value_last_set()
    {
        var real = new Settings();
        using var provider = new ServiceCollection().AddSingleton<ISettings>(real).AddCachedProxy<ISettings>().BuildServiceProvider();
        var proxy = provider.GetRequiredService<ISettings>();

        proxy.Limit = 5;
        Assert.Equal(5, proxy.Limit);
        proxy.Limit = 7;

        Assert.Equal(7, proxy.Limit);
        Assert.Equal(7, real.Limit);
    }

    [Fact]
    public void A_read_only_property_and_a_method_under_an_interface_wide_Cached_stay_cached()
    {
        var real = new Settings();
        using var provider = new ServiceCollection().AddSingleton<ISettings>(real).AddCachedProxy<ISettings>().BuildServiceProvider();
        var proxy = provider.GetRequiredService<ISettings>();

        Assert.Equal("eu", proxy.Region);
        Assert.Equal("eu", proxy.Region);
        Assert.Equal(6, proxy.Twice(3));
        Assert.Equal(6, proxy.Twice(3));

        Assert.Equal(1, real.RegionReads);
        Assert.Equal(1, real.TwiceCalls);
    }

    [Fact]
    public void An_explicit_Cached_on_the_getter_of_a_settable_property_fails_registration_naming_interface_and_property()
    {
        var services = new ServiceCollection().AddSingleton(Substitute.For<ICachedSettableProperty>());

        var error = Assert.Throws<InvalidOperationException>(() => services.AddCachedProxy<ICachedSettableProperty>());

        Assert.Contains(typeof(ICachedSettableProperty).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains("property Limit", error.Message, StringComparison.Ordinal);
        Assert.Contains("setter", error.Message, StringComparison.Ordinal);
    }
}
