using System.Globalization;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>One step of a model-based scenario: a read, write or removal of a key, or a move of the clock.</summary>
/// <param name="Kind">What the step does.</param>
/// <param name="Key">The key index (0 to <see cref="ModelScenarios.KeyCount"/> - 1); unused by <see cref="CacheOpKind.AdvanceTime"/>.</param>
/// <param name="TimeToLive">The per-entry time to live of a put; <see langword="null"/> takes the backend's default.</param>
/// <param name="Advance">How far an <see cref="CacheOpKind.AdvanceTime"/> step moves the clock.</param>
/// <param name="Size">The size of a put, for a backend with a byte budget; the new limit of a resize.</param>
internal sealed record CacheOp(CacheOpKind Kind, int Key, TimeSpan? TimeToLive, TimeSpan Advance, long Size = 0)
{
    public string KeyName => KeyNameOf(Key);

    public static string KeyNameOf(int key) => "k" + key.ToString(CultureInfo.InvariantCulture);

    public static CacheOp Get(int key) => new(CacheOpKind.Get, key, null, TimeSpan.Zero);

    public static CacheOp TryGet(int key) => new(CacheOpKind.TryGet, key, null, TimeSpan.Zero);

    public static CacheOp TryGetByHandle(int key) => new(CacheOpKind.TryGetByHandle, key, null, TimeSpan.Zero);

    public static CacheOp Put(int key, TimeSpan? timeToLive, long size = 0) => new(CacheOpKind.Put, key, timeToLive, TimeSpan.Zero, size);

    public static CacheOp ResizeCapacity(int capacity) => new(CacheOpKind.ResizeCapacity, 0, null, TimeSpan.Zero, capacity);

    public static CacheOp ResizeBytes(long maxBytes) => new(CacheOpKind.ResizeBytes, 0, null, TimeSpan.Zero, maxBytes);

    public static CacheOp Remove(int key) => new(CacheOpKind.Remove, key, null, TimeSpan.Zero);

    public static CacheOp AdvanceTime(TimeSpan by) => new(CacheOpKind.AdvanceTime, 0, null, by);

    public override string ToString() => Kind switch
    {
        CacheOpKind.Put => $"Put {KeyName}" + (TimeToLive is { } ttl ? $" ttl={Seconds(ttl)}" : string.Empty) + (Size > 0 ? $" size={Size}" : string.Empty),
        CacheOpKind.AdvanceTime => $"Advance {Seconds(Advance)}",
        CacheOpKind.ResizeCapacity or CacheOpKind.ResizeBytes => $"{Kind} {Size}",
        _ => $"{Kind} {KeyName}",
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
