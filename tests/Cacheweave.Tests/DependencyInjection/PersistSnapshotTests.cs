using Cacheweave.Backends;
using Cacheweave.Backends.Snapshots;
using Cacheweave.Tests.Backends.Snapshots;
using Cacheweave.Tests.Interception;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.DependencyInjection;

/// <summary><c>PersistSnapshot</c>: the default backend's entries survive a container restart through a snapshot file.</summary>
public sealed class PersistSnapshotTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cacheweave-snapshot-" + Guid.NewGuid().ToString("N"));

    private string SnapshotPath => Path.Combine(_directory, "nested", "cache.snapshot");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Cached_results_survive_a_restart_of_the_container()
    {
        await using (var first = BuildProvider())
        {
            var lookup = first.GetRequiredService<IOrderLookup>();
            Assert.Equal(new SnapshotOrder(7, "customer 7", 10.5m), await lookup.FindAsync(7));
        }

        Assert.True(File.Exists(SnapshotPath));
        var executions = OrderLookup.Executions;
        await using (var second = BuildProvider())
        {
            var lookup = second.GetRequiredService<IOrderLookup>();
            Assert.Equal(new SnapshotOrder(7, "customer 7", 10.5m), await lookup.FindAsync(7));
        }

        Assert.Equal(executions, OrderLookup.Executions);
        Assert.Equal([SnapshotPath], Directory.GetFiles(Path.GetDirectoryName(SnapshotPath)!));
    }

    [Fact]
    public async Task A_damaged_snapshot_file_starts_an_empty_cache_instead_of_failing()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SnapshotPath)!);
        await File.WriteAllBytesAsync(SnapshotPath, [0x43, 0x57, 0x53, 0x4e, 0x41, 0x50, 0x01, 0xff]);

        await using var provider = BuildProvider();
        var backend = Assert.IsType<LruBackend>(provider.GetRequiredService<ICacheBackend>());

        Assert.Equal(0, backend.Count);
        await backend.PutAsync("k", "v");
    }

    [Fact]
    public async Task A_default_backend_that_is_not_in_memory_is_refused_when_resolved()
    {
        var services = new ServiceCollection().AddCacheweave(b => b
            .UseDefaultBackend(_ => new NonOwningBackend(new LruBackend(10)))
            .PersistSnapshot(SnapshotPath));
        await using var provider = services.BuildServiceProvider();

        var exception = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ICacheBackend>());

        Assert.Contains(SnapshotPath, exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(NonOwningBackend), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_atomic_write_replaces_the_old_file_whole_and_leaves_no_temporary_file()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "file");
        File.WriteAllBytes(path, new byte[1000]);

        SnapshotFile.WriteAtomically(path, [1, 2, 3]);

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_directory));
    }

    [Fact]
    public void PersistSnapshot_refuses_an_empty_path_naming_it()
    {
        var services = new ServiceCollection();

        var exception = Assert.Throws<ArgumentException>(() => services.AddCacheweave(b => b.PersistSnapshot(string.Empty)));

        Assert.Equal("path", exception.ParamName);
    }

    private ServiceProvider BuildProvider() =>
        new ServiceCollection()
            .AddCacheweave(b => b
                .UseDefaultBackend(_ => new LruBackend(100))
                .PersistSnapshot(SnapshotPath, types => types.Add<SnapshotOrder>()))
            .AddCachedProxy<IOrderLookup, OrderLookup>()
            .BuildServiceProvider();
}
