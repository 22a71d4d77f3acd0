using Cacheweave.Backends.Expiry;

namespace Cacheweave.Backends;

/// <summary>
/// An in-memory backend whose entries expire after a time to live (the default given here, or the entry's
/// own). With a capacity, a full backend evicts the entry that would expire soonest (ties: the one written
/// first); reads do not change that order.
/// </summary>
public sealed class TtlBackend : InMemoryBackend
{
    /// <summary>Creates a TTL backend.</summary>
    /// <param name="defaultTtl">The time to live of entries written without one; greater than zero (fractions of a second allowed).</param>
    /// <param name="capacity">The most entries held, at least 1; <see langword="null"/> for no bound but expiry.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="defaultTtl"/> is not positive, or <paramref name="capacity"/> is less than 1.</exception>
    public TtlBackend(TimeSpan defaultTtl, int? capacity = null, TimeProvider? timeProvider = null)
        : base(capacity, defaultTtl, timeProvider, static expiry => new ExpiryOrderPolicy(expiry))
    {
    }

    /// <summary>Creates a TTL backend with the settings of <paramref name="options"/>, which must give a default time to live.</summary>
    /// <param name="options">The limits and settings.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> does not set <see cref="InMemoryBackendOptions.DefaultTimeToLive"/>, or sets a sizer
    /// without a byte budget.
    /// </exception>
    public TtlBackend(InMemoryBackendOptions options)
        : base(InMemoryBackendOptions.ValidateExpiring(options, nameof(TtlBackend)), static expiry => new ExpiryOrderPolicy(expiry))
    {
    }
}
