using Cacheweave.Backends;
using Cacheweave.Serialization;

namespace Cacheweave.Interception;

/// <summary>
/// How a cached method sizes the results it writes to a backend with a byte budget and no sizer of its own: by the
/// length of the result's serialized form, measured with the container's value serializer and never past the budget.
/// </summary>
internal sealed class EntrySizing
{
    private readonly InMemoryBackend _backend;
    private readonly ICacheValueSerializer _serializer;

    private EntrySizing(InMemoryBackend backend, ICacheValueSerializer serializer)
    {
        _backend = backend;
        _serializer = serializer;
    }

    /// <summary>The sizing for <paramref name="backend"/>, or <see langword="null"/> when it needs none (no byte budget, or a sizer of its own).</summary>
    /// <param name="backend">The method's backend.</param>
    /// <param name="serializer">The container's value serializer; <see langword="null"/> for MessagePack.</param>
    public static EntrySizing? For(ICacheBackend backend, ICacheValueSerializer? serializer) =>
        backend is InMemoryBackend { NeedsEntrySizes: true } budgeted
            ? new EntrySizing(budgeted, serializer ?? MessagePackCacheValueSerializer.Instance)
            : null;

    /// <summary>The backend's byte budget now.</summary>
    public long Budget => _backend.MaxBytes ?? long.MaxValue;

    /// <summary>Measures <paramref name="value"/>: the length of its serialized form (0 for <see langword="null"/>).</summary>
    /// <param name="key">The entry's key, for the exception.</param>
    /// <param name="value">The result.</param>
    /// <exception cref="CacheValueRejectedException">
    /// The value is larger than the backend's whole budget (reason <see cref="CacheValueRejectionReason.TooLarge"/>;
    /// counting stopped there), or it cannot be serialized (any other reason).
    /// </exception>
    public long Measure<T>(string key, T value)
    {
        if (value is null)
        {
            return 0;
        }

        using var writer = new LengthCountingWriter(Budget, typeof(T));
        try
        {
            _serializer.Serialize(writer, value);
        }
        catch (CacheValueRejectedException)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever the serializer throws, the result is returned uncached, not turned into the caller's failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            throw new CacheValueRejectedException(
                key, CacheValueRejectionReason.Unserializable, $"The result for {key} cannot be sized by {_serializer.GetType().Name}: {e.Message}", e);
        }

        return writer.Length;
    }
}
