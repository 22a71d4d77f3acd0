using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception;

/// <summary>A service for key provider tests: a plain, a versioned and an uncached method, and one inherited.</summary>
public interface IKeyProviderStore : IKeyProviderBase
{
    [Cached(KeyPrefix = "store")]
    Task<string> NameAsync(int id, string region, CancellationToken cancellationToken = default);

    [Cached(KeyPrefix = "store", Versioned = true)]
    Task<string> SearchAsync(string text);

    string Describe(int id);
}
