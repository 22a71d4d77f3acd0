namespace Cacheweave.Benchmarks.Keys;

/// <summary>Methods with 1, 3 and 10 parameters, whose keys the key-building benchmarks build. Never implemented.</summary>
public interface IKeyShapes
{
    /// <summary>One argument.</summary>
    Task<string> One(int customerId);

    /// <summary>Three arguments.</summary>
    Task<string> Three(int customerId, string region, Guid id);

    /// <summary>Ten arguments of assorted types.</summary>
    Task<string> Ten(int customerId, string region, Guid id, long sequence, bool includeLines, DateTime since, double minimum, string sort, string? cursor, OrderFilter filter);
}
