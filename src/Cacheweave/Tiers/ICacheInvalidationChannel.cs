namespace Cacheweave.Tiers;

/// <summary>
/// Carries invalidations between the processes that share a cache tier (a backplane), so that each can drop
/// the local copies another one made stale.
/// </summary>
/// <remarks>
/// <para>
/// A channel delivers a message to every subscriber in every other process and never back to the process
/// (channel instance) that published it. Delivery is best effort: when the transport loses its connection,
/// messages sent meanwhile can be lost, so a channel delivers <see cref="CacheInvalidation.All"/> to its own
/// subscribers once the connection is back.
/// </para>
/// <para>
/// Publishing never throws for transport faults; an implementation logs and drops a message it cannot send.
/// </para>
/// </remarks>
public interface ICacheInvalidationChannel
{
    /// <summary>Sends <paramref name="invalidation"/> to the other processes.</summary>
    /// <param name="invalidation">What to drop.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message has been handed to the transport.</returns>
    ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken = default);

    /// <summary>Registers <paramref name="handler"/> for invalidations from other processes.</summary>
    /// <param name="handler">Called once per message; it should be quick and must not throw.</param>
    /// <returns>A handle that unsubscribes the handler when disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    IDisposable Subscribe(Func<CacheInvalidation, ValueTask> handler);
}
