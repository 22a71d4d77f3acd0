namespace Cacheweave.Resilience;

/// <summary>
/// A remote tier that can be asked whether it answers without touching any entry (Redis: PING). A
/// <see cref="ResilientCacheBackend"/> uses it to find out when a hanging tier is back; a tier without it is probed
/// with a read of a key no cache uses.
/// </summary>
public interface ICacheTierProbe
{
    /// <summary>Completes when the tier has answered.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the tier answered, or fails with the tier's fault.</returns>
    ValueTask PingAsync(CancellationToken cancellationToken = default);
}
