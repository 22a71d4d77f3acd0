namespace Cacheweave.Backends.Snapshots;

/// <summary>What <see cref="InMemoryBackend.SaveAsync"/> or <see cref="InMemoryBackend.LoadAsync"/> did.</summary>
/// <param name="Entries">The entries written to the snapshot, or loaded into the backend.</param>
/// <param name="Skipped">
/// The entries left out: on save, values whose type is not in <see cref="InMemoryBackend.SnapshotTypes"/> or that could
/// not be serialized; on load, entries already expired, of a type or shape not registered, or beyond the capacity.
/// </param>
public readonly record struct CacheSnapshotResult(int Entries, int Skipped);
