namespace Cacheweave.Tests.Keys;

/// <summary>A plain class argument with settable properties.</summary>
public sealed class Coordinates
{
    public double Latitude { get; set; }

    public double Longitude { get; set; }
}
