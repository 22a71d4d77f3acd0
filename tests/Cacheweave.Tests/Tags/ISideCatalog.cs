using Cacheweave.Interception;

namespace Cacheweave.Tests.Tags;

/// <summary>A tagged service on a named backend, sharing the tag "user:{id}" with <see cref="ICatalog"/>.</summary>
public interface ISideCatalog
{
    [Cached(Backend = "side", Tags = new[] { "user:{userId}" })]
    Task<string> GetAsync(int userId);
}
