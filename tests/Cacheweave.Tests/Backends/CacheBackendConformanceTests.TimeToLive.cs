using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>
/// The time-to-live members of the contract. Times are real (remote tiers keep their own clock), so the checks are
/// bounds: an hour-long time to live is read back as more than a minute and no more than an hour.
/// </summary>
public abstract partial class CacheBackendConformanceTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Time_to_live_of_a_key_never_written_is_a_miss()
    {
        Assert.Equal(CacheResult<TimeSpan?>.Miss, await Backend.GetTimeToLiveAsync("never-written"));
    }

    [Fact]
    public async Task An_entry_written_with_a_time_to_live_reports_what_it_has_left()
    {
        await Backend.PutAsync("timed", "v", new CacheEntryOptions { TimeToLive = Hour });

        var left = (await Backend.GetTimeToLiveAsync("timed")).Value;

        Assert.NotNull(left);
        Assert.InRange(left.Value, TimeSpan.FromMinutes(1), Hour);
    }

    [Fact]
    public async Task Set_time_to_live_of_a_missing_key_returns_false_and_writes_nothing()
    {
        Assert.False(await Backend.SetTimeToLiveAsync("missing", Hour));
        Assert.False(await Backend.SetTimeToLiveAsync("missing", null));
        Assert.False(await Backend.ExpireAtAsync("missing", DateTimeOffset.UtcNow + Hour));

        Assert.False((await Backend.GetAsync<string>("missing")).HasValue);
        Assert.Equal(0, await Backend.CountAsync());
    }

    [Fact]
    public async Task Set_time_to_live_replaces_the_expiry_and_keeps_the_value()
    {
        await Backend.PutAsync("timed", "kept", new CacheEntryOptions { TimeToLive = Hour });

        Assert.True(await Backend.SetTimeToLiveAsync("timed", 3 * Hour));

        Assert.InRange((await Backend.GetTimeToLiveAsync("timed")).Value!.Value, 2 * Hour, 3 * Hour);
        Assert.Equal(new CacheResult<string>("kept"), await Backend.GetAsync<string>("timed"));
    }

    [Fact]
    public async Task Set_time_to_live_to_null_makes_the_entry_persistent()
    {
        await Backend.PutAsync("timed", 5, new CacheEntryOptions { TimeToLive = Hour });

        Assert.True(await Backend.SetTimeToLiveAsync("timed", null));

        Assert.Equal(new CacheResult<TimeSpan?>(null), await Backend.GetTimeToLiveAsync("timed"));
        Assert.Equal(new CacheResult<int>(5), await Backend.GetAsync<int>("timed"));
    }

    [Fact]
    public async Task A_cached_null_has_a_time_to_live_like_any_entry()
    {
        await Backend.PutAsync<string?>("nothing", null, new CacheEntryOptions { TimeToLive = Hour });

        Assert.True(await Backend.SetTimeToLiveAsync("nothing", 2 * Hour));

        Assert.InRange((await Backend.GetTimeToLiveAsync("nothing")).Value!.Value, Hour, 2 * Hour);
        var result = await Backend.GetAsync<string?>("nothing");
        Assert.True(result.HasValue);
        Assert.Null(result.Value);
    }

    [Fact]
    public async Task Expire_at_a_future_instant_sets_the_expiry_and_keeps_the_value()
    {
        await Backend.PutAsync("timed", "kept", new CacheEntryOptions { TimeToLive = Hour });

        Assert.True(await Backend.ExpireAtAsync("timed", DateTimeOffset.UtcNow + (3 * Hour)));

        Assert.InRange((await Backend.GetTimeToLiveAsync("timed")).Value!.Value, 2 * Hour, 3 * Hour);
        Assert.Equal(new CacheResult<string>("kept"), await Backend.GetAsync<string>("timed"));
    }

    [Fact]
    public async Task Expire_at_a_past_instant_removes_the_entry_at_once()
    {
        await Backend.PutAsync("doomed", "v", new CacheEntryOptions { TimeToLive = Hour });
        await Backend.PutAsync("kept", "v", new CacheEntryOptions { TimeToLive = Hour });

        Assert.True(await Backend.ExpireAtAsync("doomed", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1)));

        Assert.False((await Backend.GetAsync<string>("doomed")).HasValue);
        Assert.Equal(CacheResult<TimeSpan?>.Miss, await Backend.GetTimeToLiveAsync("doomed"));
        Assert.Equal(new CacheResult<string>("v"), await Backend.GetAsync<string>("kept"));
        Assert.False(await Backend.SetTimeToLiveAsync("doomed", Hour));
    }

    [Fact]
    public async Task A_sliding_entry_reads_back_its_value_and_keeps_its_window()
    {
        await Backend.PutAsync("sliding", "v", new CacheEntryOptions { TimeToLive = Hour, Sliding = true });

        Assert.Equal(new CacheResult<string>("v"), await Backend.GetAsync<string>("sliding"));
        Assert.Equal(new CacheResult<string>("v"), await Backend.GetAsync<string>("sliding"));

        Assert.InRange((await Backend.GetTimeToLiveAsync("sliding")).Value!.Value, TimeSpan.FromMinutes(1), Hour);
    }

    [Fact]
    public async Task Sliding_options_without_a_time_to_live_are_refused()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(
            async () => await Backend.PutAsync("sliding", "v", new CacheEntryOptions { Sliding = true }));

        Assert.Equal("options", exception.ParamName);
        Assert.False((await Backend.GetAsync<string>("sliding")).HasValue);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task A_time_to_live_that_is_not_positive_is_refused(int seconds)
    {
        await Backend.PutAsync("timed", "v", new CacheEntryOptions { TimeToLive = Hour });

        var exception = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await Backend.SetTimeToLiveAsync("timed", TimeSpan.FromSeconds(seconds)));

        Assert.Equal("timeToLive", exception.ParamName);
        Assert.InRange((await Backend.GetTimeToLiveAsync("timed")).Value!.Value, TimeSpan.FromMinutes(1), Hour);
    }

    [Theory]
    [MemberData(nameof(InvalidKeys))]
    public async Task Time_to_live_members_refuse_a_null_or_empty_key(string? key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Backend.GetTimeToLiveAsync(key!));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Backend.SetTimeToLiveAsync(key!, Hour));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Backend.ExpireAtAsync(key!, DateTimeOffset.UtcNow));
    }
}
