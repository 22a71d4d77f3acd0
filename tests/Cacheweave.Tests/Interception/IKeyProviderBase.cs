using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception;

/// <summary>A base interface whose cached method <see cref="IKeyProviderStore"/> inherits.</summary>
public interface IKeyProviderBase
{
    [Cached(KeyPrefix = "store")]
    Task<int> CountAsync(string shelf);
}
