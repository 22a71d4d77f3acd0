using System.Globalization;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>A backend configuration and the operations to run against it and against the reference model.</summary>
/// <param name="Capacity">The backend's capacity.</param>
/// <param name="DefaultTimeToLive">The default time to live (TTL policies only).</param>
/// <param name="Operations">The steps, in order.</param>
internal sealed record ModelScenario(int Capacity, TimeSpan? DefaultTimeToLive, IReadOnlyList<CacheOp> Operations)
{
    public override string ToString()
    {
        var ttl = DefaultTimeToLive is { } d ? d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : "none";
        return $"capacity={Capacity}, default ttl={ttl}, {Operations.Count} ops: {string.Join("; ", Operations)}";
    }
}
