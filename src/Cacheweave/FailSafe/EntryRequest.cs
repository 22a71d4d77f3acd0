namespace Cacheweave.FailSafe;

/// <summary>One call for one entry: its key and what running the method needs.</summary>
/// <param name="Key">The entry's key.</param>
/// <param name="Version">The method version folded into <paramref name="Key"/>, for a versioned method.</param>
/// <param name="Target">The real service, or the factory of a <c>GetOrCreateAsync</c> call.</param>
/// <param name="Arguments">The call's arguments (empty for <c>GetOrCreateAsync</c>).</param>
/// <param name="CancellationToken">The caller's token: ends its own waits.</param>
internal readonly record struct EntryRequest(string Key, long? Version, object Target, object?[] Arguments, CancellationToken CancellationToken);
