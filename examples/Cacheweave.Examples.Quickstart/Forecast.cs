namespace Cacheweave.Examples.Quickstart;

public sealed record Forecast(string City, int HighCelsius, string Summary);
