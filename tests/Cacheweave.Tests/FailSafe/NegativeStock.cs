using Cacheweave.Interception;

namespace Cacheweave.Tests.FailSafe;

/// <summary>Keeps negative stock counts (a glitch of the source) out of the cache.</summary>
public sealed class NegativeStock : ICacheCondition<Stock>
{
    public bool Excludes(Stock result) => result.Count < 0;
}
