using Microsoft.Extensions.Logging;

namespace Cacheweave.Backends.Snapshots;

/// <summary>
/// A snapshot file kept for an in-memory backend: loaded when the backend is created, saved when it is disposed (the
/// container disposes it at shutdown). The file is replaced atomically, so a crash never leaves half a snapshot.
/// </summary>
internal sealed class SnapshotFile
{
    private readonly Action<CacheSnapshotTypes>? _registerTypes;

    /// <param name="path">The snapshot file; made absolute.</param>
    /// <param name="registerTypes">Registers the value types the snapshot may hold.</param>
    internal SnapshotFile(string path, Action<CacheSnapshotTypes>? registerTypes)
    {
        Path = System.IO.Path.GetFullPath(path);
        _registerTypes = registerTypes;
    }

    internal string Path { get; }

    /// <summary>Loads the file into <paramref name="backend"/> and arranges for it to be saved at disposal.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="backend"/> is not an in-memory backend.</exception>
    internal ICacheBackend Attach(ICacheBackend backend, ILogger logger)
    {
        if (backend is not InMemoryBackend memory)
        {
            throw new InvalidOperationException(
                $"The cache snapshot file '{Path}' needs an in-memory default backend (LruBackend, LfuBackend, TtlBackend, LruTtlBackend); {backend.GetType()} is not one.");
        }

        _registerTypes?.Invoke(memory.SnapshotTypes);
        Load(memory, logger);
        memory.BeforeDispose = backend => Save(backend, logger);
        return memory;
    }

    /// <summary>Loads the file when there is one; a file that cannot be read is logged and the backend starts empty.</summary>
    internal void Load(InMemoryBackend backend, ILogger logger)
    {
        if (!File.Exists(Path))
        {
            return;
        }

        try
        {
            var result = backend.Load(File.ReadAllBytes(Path));
            SnapshotLog.Loaded(logger, Path, result.Entries, result.Skipped);
        }
        catch (Exception ex) when (ex is CacheSnapshotException or IOException or UnauthorizedAccessException)
        {
            SnapshotLog.LoadFailed(logger, Path, ex);
        }
    }

    /// <summary>Saves the backend's entries; a failure is logged (this runs at disposal, which must not throw).</summary>
    internal void Save(InMemoryBackend backend, ILogger logger)
    {
        try
        {
            var (bytes, result) = backend.CaptureSnapshot();
            WriteAtomically(Path, bytes);
            SnapshotLog.Saved(logger, Path, result.Entries, result.Skipped);
        }
#pragma warning disable CA1031 // Runs while the container is disposed: a failed save is logged, the old file stays.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            SnapshotLog.SaveFailed(logger, Path, ex);
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new file in the same directory, flushes it to disk, then moves it over
    /// <paramref name="path"/>: a reader finds the old file or the new one, never a part of either.
    /// </summary>
    internal static void WriteAtomically(string path, byte[] bytes)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
