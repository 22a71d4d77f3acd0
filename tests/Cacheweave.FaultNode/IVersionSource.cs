using Cacheweave.Interception;

namespace Cacheweave.FaultNode;

/// <summary>The cached service: the current version of a key. Cached without expiry, so a stale copy would live forever.</summary>
public interface IVersionSource
{
    [Cached]
    Task<long> GetVersionAsync(string key);
}
