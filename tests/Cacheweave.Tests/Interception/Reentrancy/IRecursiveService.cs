using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.Reentrancy;

public interface IRecursiveService
{
    /// <summary>Calls itself through the proxy with <c>n - 1</c>, or with <c>n</c> itself while <see cref="RecursiveService.SelfCalls"/> lasts.</summary>
    [Cached]
    Task<int> DepthAsync(int n);

    [Cached]
    int Depth(int n);

    [Cached(LockTimeoutSeconds = 0.2)]
    Task<int> SlowAsync(int n);

    [Cached(LockTimeoutSeconds = 0.2)]
    int Slow(int n);
}
