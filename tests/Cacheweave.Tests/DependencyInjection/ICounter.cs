using Cacheweave.Interception;

namespace Cacheweave.Tests.DependencyInjection;

/// <summary>Counts its own executions, for tests that need a real implementation rather than a substitute.</summary>
public interface ICounter
{
    int Executions { get; }

    [Cached]
    Task<int> NextAsync(int id);
}
