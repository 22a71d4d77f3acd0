using System.Collections.Concurrent;
using Cacheweave.Backends;
using Cacheweave.Tiers;

namespace Cacheweave.Tests.Tiers;

/// <summary>
/// A stand-in for a remote shared tier: entries with expiry on a (fake) clock, a switch that makes every call
/// fail as an unreachable server would, and optional yields that let concurrent calls interleave.
/// </summary>
public sealed class FakeSharedTier(TimeProvider time) : ICacheBackendWithExpiry
{
    private readonly ConcurrentDictionary<string, (object? Value, long? ExpiresAt)> _entries = new(StringComparer.Ordinal);
    private volatile bool _isDown;
    private int _calls;
    private TaskCompletionSource? _readGate;
    private TaskCompletionSource? _writeGate;

    /// <summary>While true, every call throws <see cref="IOException"/>.</summary>
    public bool IsDown
    {
        get => _isDown;
        set => _isDown = value;
    }

    /// <summary>
    /// When true, every call yields or waits a millisecond (at random) before and after touching the entries, as the
    /// two legs of a network round trip would, so that concurrent calls overlap and finish out of order.
    /// </summary>
    public bool Jitter { get; set; }

    /// <summary>When set, the next read takes its snapshot of the entry, then waits for this gate before returning it.</summary>
    public TaskCompletionSource? ReadGate
    {
        get => _readGate;
        set => _readGate = value;
    }

    /// <summary>When set, the next write lands, then waits for this gate before it returns (a slow acknowledgement).</summary>
    public TaskCompletionSource? WriteGate
    {
        get => _writeGate;
        set => _writeGate = value;
    }

    /// <summary>The number of calls that reached this tier.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public bool Contains(string key) => _entries.ContainsKey(key);

    public async ValueTask<CacheResult<T>> GetAsync<T>(string key, CancellationToken cancellationToken = default) =>
        (await GetWithExpiryAsync<T>(key, cancellationToken)).Result;

    public async ValueTask<ExpiringCacheResult<T>> GetWithExpiryAsync<T>(string key, CancellationToken cancellationToken = default)
    {
        await EnterAsync();
        var found = _entries.TryGetValue(key, out var entry);
        if (Interlocked.Exchange(ref _readGate, null) is { } gate)
        {
            await gate.Task;
        }

        await LeaveAsync();
        if (!found)
        {
            return default;
        }

        var now = time.GetUtcNow().UtcTicks;
        if (entry.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            _entries.TryRemove(key, out _);
            return default;
        }

        TimeSpan? remaining = entry.ExpiresAt is { } at ? TimeSpan.FromTicks(at - now) : null;
        return new ExpiringCacheResult<T>(new CacheResult<T>((T?)entry.Value), remaining);
    }

    public async ValueTask PutAsync<T>(string key, T value, CacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        await EnterAsync();
        long? expiresAt = options?.TimeToLive is { } ttl ? time.GetUtcNow().UtcTicks + ttl.Ticks : null;
        _entries[key] = (value, expiresAt);
        if (Interlocked.Exchange(ref _writeGate, null) is { } gate)
        {
            await gate.Task;
        }

        await LeaveAsync();
    }

    public async ValueTask<bool> RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        await EnterAsync();
        var removed = _entries.TryRemove(key, out _);
        await LeaveAsync();
        return removed;
    }

    public async ValueTask ClearAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync();
        _entries.Clear();
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync();
        return _entries.Count;
    }

    private static async Task JitterAsync()
    {
        if (Random.Shared.Next(4) == 0)
        {
            await Task.Delay(1);
        }
        else
        {
            await Task.Yield();
        }
    }

    private async ValueTask LeaveAsync()
    {
        if (Jitter)
        {
            await JitterAsync();
        }
    }

    private async ValueTask EnterAsync()
    {
        Interlocked.Increment(ref _calls);
        if (Jitter)
        {
            await JitterAsync();
        }

        if (_isDown)
        {
            throw new IOException("The shared tier is unreachable.");
        }
    }
}
