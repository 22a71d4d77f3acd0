using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

public sealed class CacheEntryOptionsTests
{
    public static TheoryData<TimeSpan> NonPositiveTimesToLive => new() { TimeSpan.Zero, TimeSpan.FromTicks(-1), TimeSpan.MinValue };

    [Theory]
    [MemberData(nameof(NonPositiveTimesToLive))]
    public void A_time_to_live_of_zero_or_less_is_rejected(TimeSpan ttl)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CacheEntryOptions { TimeToLive = ttl });

        Assert.Equal(nameof(CacheEntryOptions.TimeToLive), error.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void FromSeconds_rejects_a_number_of_seconds_that_is_not_finite_and_positive(double seconds)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CacheEntryOptions.FromSeconds(seconds));

        Assert.Equal("seconds", error.ParamName);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(1.5)]
    [InlineData(3600)]
    public void FromSeconds_keeps_fractions_of_a_second(double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), CacheEntryOptions.FromSeconds(seconds).TimeToLive);
    }

    [Fact]
    public void The_default_options_take_the_backend_default()
    {
        Assert.Null(CacheEntryOptions.Default.TimeToLive);
        Assert.Null(new CacheEntryOptions().TimeToLive);
    }
}
