using System.Globalization;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>A backend configuration and the operations to run against it and against the reference model.</summary>
/// <param name="Capacity">The backend's capacity.</param>
/// <param name="DefaultTimeToLive">The default time to live (TTL policies only).</param>
/// <param name="Operations">The steps, in order.</param>
/// <param name="MaxBytes">The byte budget, or <see langword="null"/> for a backend without one.</param>
/// <param name="UseSizer">Whether the backend sizes entries with a sizer instead of each put giving the size.</param>
internal sealed record ModelScenario(int Capacity, TimeSpan? DefaultTimeToLive, IReadOnlyList<CacheOp> Operations, long? MaxBytes = null, bool UseSizer = false)
{
    public override string ToString()
    {
        var ttl = DefaultTimeToLive is { } d ? d.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s" : "none";
        var budget = MaxBytes is { } max ? $", max bytes={max}{(UseSizer ? " (sizer)" : string.Empty)}" : string.Empty;
        return $"capacity={Capacity}, default ttl={ttl}{budget}, {Operations.Count} ops: {string.Join("; ", Operations)}";
    }
}
