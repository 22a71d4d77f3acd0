using Cacheweave.Backends;
using Cacheweave.Resilience;
using Cacheweave.Tiers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Tiers;

public sealed class TwoLevelBackendTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeLogCollector _logs = new();
    private readonly InProcessInvalidationBus _bus = new();
    private readonly FakeSharedTier _shared;
    private readonly List<TwoLevelBackend> _nodes = [];

    public TwoLevelBackendTests() => _shared = new FakeSharedTier(_time);

    private TwoLevelBackend CreateNode(
        ICacheInvalidationChannel? channel = null, TimeProvider? time = null, ICacheBackend? inner = null, int maxPending = 100, bool yieldingLocal = false, ICacheBackend? local = null)
    {
        time ??= _time;
        local ??= new LruTtlBackend(1_000, TimeSpan.FromMinutes(10), time);
        var node = new TwoLevelBackend(
            yieldingLocal ? new YieldingLocalTier(local) : local,
            inner ?? _shared,
            channel ?? _bus.CreateEndpoint(),
            new TwoLevelBackendOptions
            {
                MaxLocalTimeToLive = TimeSpan.FromMinutes(1),
                SharedTierResilience = new ResilientCacheBackendOptions
                {
                    Timeout = TimeSpan.FromSeconds(30),
                    MaxPendingInvalidations = maxPending,
                    CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromSeconds(1) },
                },
            },
            new LoggerFactory([new FakeLoggerProvider(_logs)]),
            time);
        _nodes.Add(node);
        return node;
    }

    private async Task TripCircuitAsync(TwoLevelBackend node)
    {
        _shared.IsDown = true;
        await node.GetAsync<string>("trip-1");
        await node.GetAsync<string>("trip-2");
        Assert.Equal(CircuitState.Open, node.SharedTier.ReadCircuit.State);
    }

    [Fact]
    public async Task A_shared_hit_is_copied_into_the_local_tier()
    {
        var node = CreateNode();
        await _shared.PutAsync("k", "v");

        Assert.Equal("v", (await node.GetAsync<string>("k")).Value);
        _shared.IsDown = true;

        Assert.Equal("v", (await node.LocalTier.GetAsync<string>("k")).Value);
        Assert.Equal("v", (await node.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_local_hit_completes_synchronously()
    {
        var node = CreateNode();
        await node.PutAsync("k", "v");

        var read = node.GetAsync<string>("k");
        var completedSynchronously = read.IsCompletedSuccessfully;

        Assert.Equal("v", (await read).Value);
        Assert.True(completedSynchronously);
    }

    [Fact]
    public async Task A_cached_null_is_a_hit_in_both_tiers()
    {
        var node = CreateNode();
        var other = CreateNode();
        await node.PutAsync<string?>("k", null);

        var local = await node.GetAsync<string?>("k");
        var readThrough = await other.GetAsync<string?>("k");

        Assert.True(local.HasValue);
        Assert.Null(local.Value);
        Assert.True(readThrough.HasValue);
        Assert.Null(readThrough.Value);
    }

    [Fact]
    public async Task A_local_copy_never_outlives_the_shared_entry()
    {
        var node = CreateNode();
        await _shared.PutAsync("k", "v", CacheEntryOptions.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(4));
        await node.GetAsync<string>("k");

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.False((await node.LocalTier.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_local_copy_lives_no_longer_than_the_cap()
    {
        var node = CreateNode();
        await _shared.PutAsync("k", "v");
        await node.GetAsync<string>("k");

        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await node.LocalTier.GetAsync<string>("k")).HasValue);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.False((await node.LocalTier.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_write_reaches_both_tiers_with_the_local_time_to_live_capped()
    {
        var node = CreateNode();

        await node.PutAsync("k", "v", CacheEntryOptions.FromSeconds(600));

        Assert.Equal("v", (await _shared.GetAsync<string>("k")).Value);
        Assert.Equal("v", (await node.LocalTier.GetAsync<string>("k")).Value);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False((await node.LocalTier.GetAsync<string>("k")).HasValue);
        Assert.True((await _shared.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_write_on_one_node_drops_the_copy_of_the_other()
    {
        var a = CreateNode();
        var b = CreateNode();
        await a.PutAsync("k", "old");
        Assert.Equal("old", (await b.GetAsync<string>("k")).Value);

        await a.PutAsync("k", "new");

        Assert.False((await b.LocalTier.GetAsync<string>("k")).HasValue);
        Assert.Equal("new", (await b.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_removal_on_one_node_drops_the_copy_of_the_other()
    {
        var a = CreateNode();
        var b = CreateNode();
        await a.PutAsync("k", "v");
        await b.GetAsync<string>("k");

        Assert.True(await a.RemoveAsync("k"));

        Assert.False((await b.GetAsync<string>("k")).HasValue);
        Assert.False(await a.RemoveAsync("k"));
    }

    [Fact]
    public async Task A_clear_on_one_node_clears_the_local_tier_of_the_other()
    {
        var a = CreateNode();
        var b = CreateNode();
        await b.PutAsync("x", 1);
        await b.PutAsync("y", 2);

        await a.ClearAsync();

        Assert.Equal(0, await b.LocalTier.CountAsync());
        Assert.Equal(0, await b.CountAsync());
    }

    [Fact]
    public async Task A_reset_from_the_channel_drops_every_local_copy()
    {
        var endpoint = (InProcessInvalidationBus.Endpoint)_bus.CreateEndpoint();
        var node = CreateNode(endpoint);
        await node.PutAsync("x", 1);

        await endpoint.DeliverAsync(CacheInvalidation.All);

        Assert.Equal(0, await node.LocalTier.CountAsync());
        Assert.Equal(1, (await node.GetAsync<int>("x")).Value);
    }

    [Fact]
    public async Task During_an_outage_the_local_tier_keeps_serving_and_nothing_throws()
    {
        var node = CreateNode();
        await node.PutAsync("cached", "v");
        _shared.IsDown = true;

        var cached = await node.GetAsync<string>("cached");
        var uncached = await node.GetAsync<string>("uncached");
        await node.PutAsync("written-during-outage", "w");
        var removed = await node.RemoveAsync("cached");
        var count = await node.CountAsync();

        Assert.Equal("v", cached.Value);
        Assert.False(uncached.HasValue);
        Assert.False(removed);
        Assert.False((await node.LocalTier.GetAsync<string>("cached")).HasValue);
        Assert.Equal("w", (await node.GetAsync<string>("written-during-outage")).Value);
        Assert.Equal(1, count);
        Assert.Contains(_logs.GetSnapshot(), l => l.Id.Id == 1203);
    }

    [Fact]
    public async Task A_removal_the_shared_tier_did_not_take_is_pending_then_replayed_to_it_and_to_the_other_nodes()
    {
        var writer = CreateNode();
        var reader = CreateNode();
        await writer.PutAsync("k", "old");
        Assert.Equal("old", (await reader.GetAsync<string>("k")).Value);
        _shared.IsDown = true;
        _bus.Drops = true;

        var result = await writer.InvalidateAsync("k");

        Assert.Equal(CacheInvalidationResult.Pending, result);
        Assert.Equal(1, writer.SharedTier.PendingInvalidationCount);
        Assert.Equal("old", (await reader.LocalTier.GetAsync<string>("k")).Value);

        // The tier answers again, but the value it still holds is never read by the writer until the removal lands.
        _shared.IsDown = false;
        _bus.Drops = false;
        Assert.False((await writer.GetAsync<string>("k")).HasValue);
        Assert.False((await writer.LocalTier.GetAsync<string>("k")).HasValue);
        await ReplayAsync(writer);

        Assert.False(_shared.Contains("k"));
        Assert.False((await reader.LocalTier.GetAsync<string>("k")).HasValue);
        Assert.Equal(1, writer.SharedTier.ReplayedInvalidationCount);
    }

    [Fact]
    public async Task A_write_the_shared_tier_did_not_take_is_not_undone_by_its_older_value_after_recovery()
    {
        var writer = CreateNode();
        var reader = CreateNode();
        await writer.PutAsync("k", "v1");
        _shared.IsDown = true;

        await writer.PutAsync("k", "v2");

        Assert.Equal("v2", (await writer.GetAsync<string>("k")).Value);
        _shared.IsDown = false;
        await ReplayAsync(writer);
        Assert.False(_shared.Contains("k"));
        Assert.False((await reader.GetAsync<string>("k")).HasValue);
        await writer.LocalTier.ClearAsync();
        Assert.False((await writer.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task A_flapping_write_circuit_never_clears_the_local_tier()
    {
        var node = CreateNode();
        await node.PutAsync("kept", "v");
        var refuseWrites = new WriteRefusingTier(_shared);
        var flapping = CreateNode(inner: refuseWrites);
        await flapping.PutAsync("kept", "v");
        refuseWrites.Refuses = true;

        for (var i = 0; i < 20; i++)
        {
            await flapping.PutAsync($"w{i}", i);
            await flapping.GetAsync<string>($"read-through-{i}");
            Assert.Equal("v", (await flapping.GetAsync<string>("kept")).Value);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(CircuitState.Closed, flapping.SharedTier.ReadCircuit.State);
        Assert.NotEqual(CircuitState.Closed, flapping.SharedTier.WriteCircuit.State);
        Assert.DoesNotContain(_logs.GetSnapshot(), l => l.Id.Id == 1201);
    }

    [Fact]
    public async Task More_pending_removals_than_remembered_clear_the_shared_tier_and_every_local_tier_on_recovery()
    {
        var writer = CreateNode(maxPending: 2);
        var reader = CreateNode();
        await writer.PutAsync("untouched", "u");
        await reader.GetAsync<string>("untouched");
        _shared.IsDown = true;
        foreach (var key in new[] { "a", "b", "c" })
        {
            Assert.Equal(CacheInvalidationResult.Pending, await writer.InvalidateAsync(key));
        }

        _shared.IsDown = false;
        Assert.False((await writer.SharedTier.GetAsync<string>("untouched")).HasValue);
        await ReplayAsync(writer);

        Assert.False(_shared.Contains("untouched"));
        Assert.Equal(0, await reader.LocalTier.CountAsync());
        Assert.Contains(_logs.GetSnapshot(), l => l.Id.Id == 1201);
    }

    [Fact]
    public async Task After_a_write_or_removal_returns_no_read_in_the_process_returns_an_older_value()
    {
        _shared.Jitter = true;
        _bus.Asynchronous = true;
        var endpoint = (InProcessInvalidationBus.Endpoint)_bus.CreateEndpoint();
        var node = CreateNode(endpoint, TimeProvider.System, yieldingLocal: true);
        long floor = 0;
        long next = 0;
        var stale = 0;
        var reads = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var writer = Task.Run(async () =>
        {
            var random = new Random(1);
            while (!stop.IsCancellationRequested)
            {
                var version = Interlocked.Increment(ref next);
                if (random.Next(4) == 0)
                {
                    await node.RemoveAsync("k");
                }
                else
                {
                    await node.PutAsync("k", version);
                }

                // Every value written before this one is now stale.
                Volatile.Write(ref floor, version);
                await Task.Delay(random.Next(2));
            }
        });

        // Another process dropping the local copy (as an eviction would) makes the next read copy the value from L2.
        var evictor = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await endpoint.DeliverAsync(CacheInvalidation.ForKey("k"));
                await Task.Delay(1);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                if (i % 64 == 0)
                {
                    // Local hits complete synchronously: leave the pool's few threads to the writer now and then.
                    await Task.Yield();
                }

                var before = Volatile.Read(ref floor);
                var read = await node.GetAsync<long>("k");
                Interlocked.Increment(ref reads);
                if (read.HasValue && read.Value < before)
                {
                    Interlocked.Increment(ref stale);
                }
            }
        })).ToArray();

        await Task.WhenAll([writer, evictor, .. readers]);

        Assert.True(reads > 100, $"only {reads} reads");
        Assert.Equal(0, stale);
    }

    [Fact]
    public async Task A_read_through_copy_never_lands_after_a_write_that_has_returned()
    {
        var local = new GatedLocalTier(new LruTtlBackend(100, TimeSpan.FromMinutes(10), _time));
        var node = CreateNode(local: local);
        await _shared.PutAsync("k", 1);
        var gates = local.ArmNextPut();

        // The read finds 1 in L2 and starts copying it into L1; a write of 2 runs meanwhile.
        var read = node.GetAsync<int>("k").AsTask();
        await gates.Entered.Task;
        var write = node.PutAsync("k", 2).AsTask();
        await Task.WhenAny(write, Task.Delay(200));
        var writeReturnedFirst = write.IsCompleted;
        gates.BeforeStore.SetResult();
        await gates.Stored.Task;

        // If the write has returned, the copy of 1 that just landed must not be visible.
        var between = await node.GetAsync<int>("k");
        gates.AfterStore.SetResult();
        await Task.WhenAll(read, write);

        Assert.False(writeReturnedFirst && between.HasValue && between.Value == 1, "a read returned 1 after PutAsync(2) had returned");
        Assert.Equal(2, (await node.GetAsync<int>("k")).Value);
    }

    private async Task ReplayAsync(TwoLevelBackend node)
    {
        // The replay runs in the background every probe interval on the (fake) clock.
        for (var attempt = 0; node.SharedTier.PendingInvalidationCount > 0; attempt++)
        {
            Assert.True(attempt < 2_000, "the pending removals are not replayed");
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(5);
        }

        await _bus.DrainAsync();
    }

    [Fact]
    public async Task An_already_resilient_shared_tier_is_not_wrapped_twice()
    {
        var resilient = new ResilientCacheBackend(new FakeSharedTier(_time));
        await using var node = new TwoLevelBackend(new LruBackend(10), resilient);

        Assert.Same(resilient, node.SharedTier);
    }

    [Fact]
    public void The_same_backend_cannot_be_both_tiers()
    {
        var backend = new LruBackend(10);

        var error = Assert.Throws<ArgumentException>(() => new TwoLevelBackend(backend, backend));

        Assert.Equal("shared", error.ParamName);
    }

    [Fact]
    public void A_cap_out_of_range_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TwoLevelBackend(
            new LruBackend(10), new LruBackend(10), options: new TwoLevelBackendOptions { MaxLocalTimeToLive = TimeSpan.Zero }));

        Assert.Equal("MaxLocalTimeToLive", error.ParamName);
    }

    [Fact]
    public async Task Disposing_disposes_both_tiers_and_stops_listening()
    {
        var local = new LruBackend(10);
        var endpoint = (InProcessInvalidationBus.Endpoint)_bus.CreateEndpoint();
        var node = new TwoLevelBackend(local, new FakeSharedTier(_time), endpoint);

        await node.DisposeAsync();
        await endpoint.DeliverAsync(CacheInvalidation.ForKey("k"));

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await local.GetAsync<int>("k"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await node.GetAsync<int>("k"));
    }

    [Fact]
    public async Task A_read_through_that_raced_with_a_local_write_does_not_keep_the_old_value()
    {
        var node = CreateNode();
        await _shared.PutAsync("k", "old");
        var gate = _shared.ReadGate = new TaskCompletionSource();

        var read = node.GetAsync<string>("k").AsTask();
        await node.PutAsync("k", "new");
        gate.SetResult();

        Assert.Equal("old", (await read).Value);
        Assert.NotEqual("old", (await node.LocalTier.GetAsync<string>("k")).Value);
        Assert.Equal("new", (await node.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_read_through_that_raced_with_an_invalidation_does_not_keep_the_old_value()
    {
        var endpoint = (InProcessInvalidationBus.Endpoint)_bus.CreateEndpoint();
        var node = CreateNode(endpoint);
        await _shared.PutAsync("k", "old");
        var gate = _shared.ReadGate = new TaskCompletionSource();

        var read = node.GetAsync<string>("k").AsTask();
        await _shared.PutAsync("k", "new");
        await endpoint.DeliverAsync(CacheInvalidation.ForKey("k"));
        gate.SetResult();
        await read;

        Assert.False((await node.LocalTier.GetAsync<string>("k")).HasValue);
        Assert.Equal("new", (await node.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_read_through_keeps_no_local_copy_while_the_channel_may_be_missing_messages()
    {
        var endpoint = (InProcessInvalidationBus.Endpoint)_bus.CreateEndpoint();
        var node = CreateNode(endpoint);
        await _shared.PutAsync("k", "old");
        endpoint.IsListening = false;

        Assert.Equal("old", (await node.GetAsync<string>("k")).Value);
        Assert.False((await node.LocalTier.GetAsync<string>("k")).HasValue);

        endpoint.IsListening = true;
        await endpoint.DeliverAsync(CacheInvalidation.All);
        Assert.Equal("old", (await node.GetAsync<string>("k")).Value);
        Assert.Equal("old", (await node.LocalTier.GetAsync<string>("k")).Value);
    }

    [Fact]
    public async Task A_read_through_that_started_before_a_reconnect_reset_does_not_keep_what_it_read()
    {
        // The reader's subscription is confirmed (the reset arrives) while its read of L2 — made before the writer's
        // removal landed, whose message it missed — is still in flight: the copy must not outlive the reset.
        var endpoint = (InProcessInvalidationBus.Endpoint)_bus.CreateEndpoint();
        var node = CreateNode(endpoint);
        await _shared.PutAsync("k", "old");
        var gate = _shared.ReadGate = new TaskCompletionSource();

        var read = node.GetAsync<string>("k").AsTask();
        await _shared.RemoveAsync("k");
        await endpoint.DeliverAsync(CacheInvalidation.All);
        gate.SetResult();
        await read;

        Assert.False((await node.LocalTier.GetAsync<string>("k")).HasValue);
        Assert.False((await node.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Overlapping_writes_leave_the_local_tier_empty_or_equal_to_the_shared_one()
    {
        var node = CreateNode();
        var gate = _shared.WriteGate = new TaskCompletionSource();

        // "first" lands in the shared tier, but its writer is slow to hear back; "second" lands after it and
        // finishes first. The slow writer's local step then comes last.
        var slow = node.PutAsync("k", "first").AsTask();
        await node.PutAsync("k", "second");
        gate.SetResult();
        await slow;

        var local = await node.LocalTier.GetAsync<string>("k");
        Assert.Equal("second", (await _shared.GetAsync<string>("k")).Value);
        Assert.True(!local.HasValue || local.Value == "second", $"The local tier holds {local} while the shared tier holds 'second'.");
    }

    [Fact]
    public async Task A_write_abandoned_by_its_caller_leaves_no_stale_local_copy()
    {
        var a = CreateNode();
        var b = CreateNode();
        await a.PutAsync("k", "old");
        await b.GetAsync<string>("k");
        var gate = _shared.WriteGate = new TaskCompletionSource();
        using var cancellation = new CancellationTokenSource();

        // The new value reaches the shared tier, but the caller stops waiting before the write returns.
        var abandoned = a.PutAsync("k", "new", cancellationToken: cancellation.Token).AsTask();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        gate.SetResult();

        Assert.Equal("new", (await _shared.GetAsync<string>("k")).Value);
        Assert.False((await a.LocalTier.GetAsync<string>("k")).HasValue);
        Assert.False((await b.LocalTier.GetAsync<string>("k")).HasValue);
    }

    [Fact]
    public async Task Racing_writes_reads_and_invalidations_never_leave_a_stale_local_copy()
    {
        _shared.Jitter = true;
        _bus.Asynchronous = true;
        var nodes = new[] { CreateNode(time: TimeProvider.System), CreateNode(time: TimeProvider.System) };
        var next = 0;

        // Many short rounds on one key: what matters is the state the last racing operations leave behind.
        for (var round = 0; round < 150; round++)
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var workers = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
            {
                var node = nodes[worker % 2];
                var random = new Random(round * 6 + worker);
                await start.Task;
                for (var i = 0; i < 3; i++)
                {
                    switch (random.Next(8))
                    {
                        case < 3:
                            await node.PutAsync("k", Interlocked.Increment(ref next));
                            break;
                        case < 4:
                            await node.RemoveAsync("k");
                            break;
                        default:
                            await node.GetAsync<int>("k");
                            break;
                    }
                }
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(workers);
            await _bus.DrainAsync();

            var shared = await _shared.GetAsync<int>("k");
            foreach (var node in nodes)
            {
                var local = await node.LocalTier.GetAsync<int>("k");
                Assert.True(
                    !local.HasValue || (shared.HasValue && local.Value == shared.Value),
                    $"round {round}: a node holds {local} while the shared tier holds {shared}");
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
