namespace Cacheweave.Examples.Quickstart;

public sealed record Station(string Code, string City);
