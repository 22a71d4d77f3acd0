using Cacheweave.Backends;

namespace Cacheweave.Tests.Backends;

/// <summary>Builds the in-memory backend of a <see cref="BackendPolicy"/>, and the theory data that lists them.</summary>
public static class InMemoryBackends
{
    /// <summary>The default time to live of the TTL backends when a test does not care about it.</summary>
    public static readonly TimeSpan LongTimeToLive = TimeSpan.FromHours(1);

    public static TheoryData<BackendPolicy> All => new() { BackendPolicy.Lru, BackendPolicy.Lfu, BackendPolicy.Ttl, BackendPolicy.LruTtl, BackendPolicy.Fifo };

    public static TheoryData<BackendPolicy> WithoutDefaultTimeToLive => new() { BackendPolicy.Lru, BackendPolicy.Lfu, BackendPolicy.Fifo };

    public static TheoryData<BackendPolicy> WithDefaultTimeToLive => new() { BackendPolicy.Ttl, BackendPolicy.LruTtl };

    public static bool HasDefaultTimeToLive(BackendPolicy policy) => policy is BackendPolicy.Ttl or BackendPolicy.LruTtl;

    /// <summary>Creates a bounded backend; <paramref name="defaultTtl"/> applies only to the policies that have one.</summary>
    public static InMemoryBackend Create(BackendPolicy policy, int capacity, TimeProvider timeProvider, TimeSpan? defaultTtl = null) =>
        policy switch
        {
            BackendPolicy.Lru => new LruBackend(capacity, timeProvider),
            BackendPolicy.Lfu => new LfuBackend(capacity, timeProvider),
            BackendPolicy.Ttl => new TtlBackend(defaultTtl ?? LongTimeToLive, capacity, timeProvider),
            BackendPolicy.LruTtl => new LruTtlBackend(capacity, defaultTtl ?? LongTimeToLive, timeProvider),
            BackendPolicy.Fifo => new FifoBackend(capacity, timeProvider),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
        };

    /// <summary>Creates a backend of <paramref name="policy"/> through its options constructor, with a byte budget.</summary>
    public static InMemoryBackend CreateWithByteBudget(
        BackendPolicy policy, int? capacity, long maxBytes, TimeProvider timeProvider, TimeSpan? defaultTtl = null, Func<string, object?, long>? sizer = null)
    {
        var options = new InMemoryBackendOptions
        {
            Capacity = capacity,
            MaxBytes = maxBytes,
            Sizer = sizer,
            TimeProvider = timeProvider,
            DefaultTimeToLive = HasDefaultTimeToLive(policy) ? defaultTtl ?? LongTimeToLive : null,
        };
        return policy switch
        {
            BackendPolicy.Lru => new LruBackend(options),
            BackendPolicy.Lfu => new LfuBackend(options),
            BackendPolicy.Ttl => new TtlBackend(options),
            BackendPolicy.LruTtl => new LruTtlBackend(options),
            BackendPolicy.Fifo => new FifoBackend(options),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
        };
    }
}
