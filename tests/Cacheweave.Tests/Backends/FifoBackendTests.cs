using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends;

/// <summary>What sets FIFO apart: eviction in insertion order, which reads and replacements do not change.</summary>
public sealed class FifoBackendTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_full_backend_evicts_the_entry_inserted_first_even_when_it_was_read_last()
    {
        using var backend = new FifoBackend(3, _time);
        backend.PutAll("a", "b", "c");
        backend.Read("a", times: 5);

        backend.Put("d");

        Assert.Equal(["b", "c", "d"], backend.LiveKeys());
    }

    [Fact]
    public void Replacing_a_value_keeps_its_place_in_the_order()
    {
        using var backend = new FifoBackend(3, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutAll("a", "b", "c");
        Synchronously.Complete(backend.PutAsync("a", "new a"));

        backend.Put("d");

        Assert.Equal(["b", "c", "d"], backend.LiveKeys());
        Assert.Equal([("a", (object?)"value of a", CacheRemovalReason.Replaced), ("a", "new a", CacheRemovalReason.Evicted)], removals.Removals);
    }

    [Fact]
    public void A_key_written_again_after_it_was_removed_goes_to_the_back()
    {
        using var backend = new FifoBackend(3, _time);
        backend.PutAll("a", "b", "c");
        Assert.True(backend.Remove("a"));
        backend.PutAll("a", "d");

        backend.Put("e");

        Assert.Equal(["a", "d", "e"], backend.LiveKeys());
    }

    [Fact]
    public void A_larger_replacement_that_reaches_its_own_key_evicts_the_old_value_and_inserts_the_new_one_at_the_back()
    {
        using var backend = InMemoryBackends.CreateWithByteBudget(BackendPolicy.Fifo, capacity: null, maxBytes: 100, _time);
        var removals = new RemovalRecorder(backend);
        backend.PutSized("a", 1, 30);
        backend.PutSized("b", 2, 30);
        backend.PutSized("c", 3, 30);

        backend.PutSized("a", 4, 45);

        Assert.Equal([("a", (object?)1, CacheRemovalReason.Evicted), ("b", 2, CacheRemovalReason.Evicted)], removals.Removals);
        Assert.Equal(["a", "c"], backend.LiveKeys());
        Assert.Equal(75, backend.Bytes);

        // "a" is now newer than "c", so "c" leaves first.
        backend.PutSized("d", 5, 30);
        Assert.Equal(["a", "d"], backend.LiveKeys());
    }
}
