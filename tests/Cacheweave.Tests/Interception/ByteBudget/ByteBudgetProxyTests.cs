using System.Buffers;
using Cacheweave.Backends;
using Cacheweave.DependencyInjection;
using Cacheweave.Interception;
using Cacheweave.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Cacheweave.Tests.Interception.ByteBudget;

/// <summary>
/// Cached proxies over a backend with a byte budget: results are sized by their serialized form when the backend has
/// no sizer, and a result larger than the whole budget is returned uncached, logged and counted.
/// </summary>
public sealed class ByteBudgetProxyTests : IDisposable
{
    private readonly SizedResults _real = new();
    private readonly FakeLogger _log = new();
    private ServiceProvider? _provider;

    public void Dispose() => _provider?.Dispose();

    [Fact]
    public async Task A_result_counts_the_length_of_its_MessagePack_form_against_the_budget()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);

        Assert.Equal(100, (await proxy.TextAsync(100)).Length);
        Assert.Equal(100, (await proxy.TextAsync(100)).Length);

        // A 100-character ASCII string is MessagePack str8: two header bytes and the characters.
        Assert.Equal(102, backend.Bytes);
        Assert.Equal(MessagePackLength(new string('x', 100)), backend.Bytes);
        Assert.Equal(1, _real.Calls);
    }

    [Fact]
    public async Task A_fail_safe_method_sizes_its_envelopes_and_skips_one_too_large_for_the_budget()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);

        Assert.Equal(100, (await proxy.FailSafeTextAsync(100)).Length);
        Assert.Equal(100, (await proxy.FailSafeTextAsync(100)).Length);
        Assert.Equal(1, _real.Calls);
        Assert.InRange(backend.Bytes, 103, 1_000);

        // The envelope of a 2,000-character result passes the whole budget: returned, not stored, not thrown.
        Assert.Equal(2_000, (await proxy.FailSafeTextAsync(2_000)).Length);
        Assert.Equal(2_000, (await proxy.FailSafeTextAsync(2_000)).Length);
        Assert.Equal(3, _real.Calls);
        Assert.InRange(backend.Bytes, 103, 1_000);
    }

    [Fact]
    public async Task The_container_value_serializer_sizes_the_results()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend, b => b.UseValueSerializer(new SystemTextJsonCacheValueSerializer()));

        await proxy.TextAsync(10);

        // "xxxxxxxxxx" in JSON: the characters and two quotes (MessagePack would take 11).
        Assert.Equal(12, backend.Bytes);
    }

    [Fact]
    public async Task Results_evict_older_ones_until_they_fit_and_the_bytes_never_pass_the_budget()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);

        for (var length = 300; length < 305; length++)
        {
            await proxy.TextAsync(length);
            Assert.InRange(backend.Bytes, 0, 1_000);
        }

        Assert.Equal(3, backend.Count);
        Assert.Equal(2, backend.Statistics.Evictions);
        Assert.Equal(5, _real.Calls);
        await proxy.TextAsync(304);
        Assert.Equal(5, _real.Calls);
    }

    [Fact]
    public async Task A_Task_result_larger_than_the_whole_budget_is_returned_uncached_logged_and_counted()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);

        Assert.Equal(5_000, (await proxy.TextAsync(5_000)).Length);
        Assert.Equal(5_000, (await proxy.TextAsync(5_000)).Length);

        AssertSkippedAsTooLarge(nameof(ISizedResults.TextAsync), backend, times: 2);
    }

    [Fact]
    public async Task A_ValueTask_result_larger_than_the_whole_budget_is_returned_uncached_logged_and_counted()
    {
        var backend = new FifoBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);

        Assert.Equal(1_001, (await proxy.TextValueAsync(1_001)).Length);

        AssertSkippedAsTooLarge(nameof(ISizedResults.TextValueAsync), backend, times: 1);
    }

    [Fact]
    public void A_synchronous_result_larger_than_the_whole_budget_is_returned_uncached_logged_and_counted()
    {
        var backend = new LfuBackend(new InMemoryBackendOptions { MaxBytes = 1_000, Capacity = 10 });
        var proxy = Proxy(backend);

        Assert.Equal(4_000_000, proxy.Text(4_000_000).Length);
        Assert.Equal(4_000_000, proxy.Text(4_000_000).Length);

        AssertSkippedAsTooLarge(nameof(ISizedResults.Text), backend, times: 2);
    }

    [Fact]
    public async Task A_too_large_result_does_not_disturb_what_is_cached()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);
        await proxy.TextAsync(10);

        await proxy.TextAsync(2_000);

        Assert.Equal(1, backend.Count);
        Assert.Equal(0, backend.Statistics.Evictions);
        await proxy.TextAsync(10);
        Assert.Equal(2, _real.Calls);
    }

    [Fact]
    public async Task A_backend_with_its_own_sizer_sizes_the_results_itself()
    {
        var sized = new List<string>();
        var backend = new LruBackend(new InMemoryBackendOptions
        {
            MaxBytes = 1_000,
            Sizer = (key, _) =>
            {
                sized.Add(key);
                return 7;
            },
        });
        var proxy = Proxy(backend);

        await proxy.TextAsync(500);

        Assert.Equal(7, backend.Bytes);
        Assert.Single(sized);
        Assert.Null(PlanOf(nameof(ISizedResults.TextAsync)).Sizing);
    }

    [Fact]
    public async Task A_backend_without_a_byte_budget_is_not_sized()
    {
        var backend = new LruBackend(100);
        var proxy = Proxy(backend);

        await proxy.TextAsync(5_000);

        Assert.Null(PlanOf(nameof(ISizedResults.TextAsync)).Sizing);
        Assert.Equal(1, backend.Count);
        Assert.Equal(0, backend.Bytes);
    }

    [Fact]
    public async Task A_versioned_method_works_on_a_backend_with_a_byte_budget_and_no_sizer()
    {
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 1_000 });
        var proxy = Proxy(backend);

        await proxy.VersionedTextAsync(20);
        await proxy.VersionedTextAsync(20);

        Assert.Equal(1, _real.Calls);
        Assert.Equal(2, backend.Count);
        Assert.Equal(21 + 9, backend.Bytes);
    }

    [Fact]
    public async Task A_result_that_cannot_be_serialized_is_returned_uncached_and_counted_as_rejected()
    {
        // Room for the serialization guard's whole depth, so that the cycle is refused as too deep before it is too large.
        var backend = new LruBackend(new InMemoryBackendOptions { MaxBytes = 100_000 });
        var proxy = Proxy(backend);

        var link = await proxy.CycleAsync(1);

        Assert.Same(link, link.Next);
        Assert.Equal(0, backend.Count);
        Assert.Equal(1, PlanOf(nameof(ISizedResults.CycleAsync)).RejectedCount);
        Assert.Equal(0, PlanOf(nameof(ISizedResults.CycleAsync)).TooLargeCount);
    }

    private static long MessagePackLength(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        MessagePackCacheValueSerializer.Instance.Serialize(buffer, value);
        return buffer.WrittenCount;
    }

    private ISizedResults Proxy(InMemoryBackend backend, Action<CacheweaveBuilder>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(CapturedLog.FactoryOf(_log));
        services.AddSingleton(backend);
        services.AddCacheweave(b =>
        {
            b.UseDefaultBackend(provider => provider.GetRequiredService<InMemoryBackend>());
            configure?.Invoke(b);
        });
        services.AddSingleton<ISizedResults>(_real).AddCachedProxy<ISizedResults>();
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<ISizedResults>();
    }

    private CachedMethodPlan PlanOf(string method) =>
        (CachedMethodPlan)_provider!.GetRequiredKeyedService<CachingInterceptor>(typeof(ISizedResults))
            .PlanFor(typeof(ISizedResults).GetMethod(method)!);

    private void AssertSkippedAsTooLarge(string method, InMemoryBackend backend, int times)
    {
        Assert.Equal(times, _real.Calls);
        Assert.Equal(0, backend.Count);
        Assert.Equal(times, PlanOf(method).TooLargeCount);
        Assert.Equal(0, PlanOf(method).RejectedCount);
        var warnings = _log.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
        Assert.Equal(times, warnings.Count);
        Assert.All(warnings, w =>
        {
            Assert.Contains(method, w.Message, StringComparison.Ordinal);
            Assert.Contains("byte budget of 1000 bytes", w.Message, StringComparison.Ordinal);
        });
    }
}
