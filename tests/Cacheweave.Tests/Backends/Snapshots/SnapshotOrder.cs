namespace Cacheweave.Tests.Backends.Snapshots;

/// <summary>A user type a snapshot holds once registered.</summary>
public sealed record SnapshotOrder(int Id, string Customer, decimal Total);
