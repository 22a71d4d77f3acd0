namespace Cacheweave.Tiers;

/// <summary>
/// An <see cref="ICacheInvalidationChannel"/> that can tell whether it is sure to hear every message published now.
/// </summary>
/// <remarks>
/// Between losing its connection and confirming that its subscription is live again, a channel may miss messages. A
/// <see cref="TwoLevelBackend"/> does not copy values into its local tier meanwhile, and the channel delivers
/// <see cref="CacheInvalidation.All"/> once it has confirmed the subscription, which drops any copy made before.
/// </remarks>
internal interface IListeningInvalidationChannel : ICacheInvalidationChannel
{
    /// <summary><see langword="true"/> when the subscription is confirmed live.</summary>
    bool IsListening { get; }
}
