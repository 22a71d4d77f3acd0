namespace Cacheweave.Examples.WebApi;

/// <summary>
/// Makes the catalog's "database" fail on demand, to show fail-safe: POST /dependency/fail and /dependency/recover,
/// or start with EXAMPLE_DEPENDENCY_FAILING=true.
/// </summary>
public sealed class DependencySwitch
{
    private int _failedCalls;
    private volatile bool _failing = string.Equals(Environment.GetEnvironmentVariable("EXAMPLE_DEPENDENCY_FAILING"), "true", StringComparison.OrdinalIgnoreCase);

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>How many calls to the dependency failed.</summary>
    public int FailedCalls => Volatile.Read(ref _failedCalls);

    /// <summary>Throws, and counts the failure, while the dependency is failing.</summary>
    public void ThrowIfFailing()
    {
        if (_failing)
        {
            Interlocked.Increment(ref _failedCalls);
            throw new HttpRequestException("The product database is unavailable.");
        }
    }
}
