using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.ByteBudget;

public interface ISizedResults
{
    [Cached]
    Task<string> TextAsync(int length);

    [Cached]
    ValueTask<string> TextValueAsync(int length);

    [Cached]
    string Text(int length);

    [Cached(Versioned = true)]
    Task<string> VersionedTextAsync(int length);

    [Cached]
    Task<Link> CycleAsync(int n);

    [Cached(TtlSeconds = 60, FailSafeSeconds = 600)]
    Task<string> FailSafeTextAsync(int length);
}
