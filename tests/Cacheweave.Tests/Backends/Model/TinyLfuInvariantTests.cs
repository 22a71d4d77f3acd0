using Cacheweave.Backends;
using Cacheweave.Keys;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// W-TinyLFU keeps whichever entry its frequency history prefers, so no simple reference model predicts its
/// victims. These properties drive it with the model tests' random scenarios (gets, puts with and without a time to
/// live, removals, clock moves) and check after every step what must hold whatever it evicts: the count bound,
/// contents that are a subset of what was written (each key with its latest value), a key just written is
/// present, a removed or expired key is absent, and each entry that leaves is announced exactly once.
/// </summary>
public sealed class TinyLfuInvariantTests
{
    [Property(MaxTest = 1_000)]
    public Property TinyLfu_backend_keeps_its_invariants_after_every_step() =>
        Prop.ForAll(ModelScenarios.For(BackendPolicy.Lru), scenario => { Run(scenario); });

    private static void Run(ModelScenario scenario)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var backend = new TinyLfuBackend(scenario.Capacity, time);
        var latest = new Dictionary<string, (int Value, DateTimeOffset? ExpiresAt)>(StringComparer.Ordinal);
        var announced = new List<(string Key, int Value, CacheRemovalReason Reason)>();
        backend.EntryRemoved += (_, e) => announced.Add((e.Key, (int)e.Value!, e.Reason));
        var writes = 0;
        var handles = new Dictionary<string, KeyHandle>(StringComparer.Ordinal);

        for (var step = 0; step < scenario.Operations.Count; step++)
        {
            var op = scenario.Operations[step];
            switch (op.Kind)
            {
                case CacheOpKind.Get:
                case CacheOpKind.TryGet:
                case CacheOpKind.TryGetByHandle:
                    if (op.Kind == CacheOpKind.TryGetByHandle
                        ? backend.TryGetRemembered<int>(handles.TryGetValue(op.KeyName, out var handle) ? handle : handles[op.KeyName] = new KeyHandle(op.KeyName), out var value)
                        : backend.TryGet<int>(op.KeyName, out value))
                    {
                        Check(latest.TryGetValue(op.KeyName, out var written) && written.Value == value, $"a hit on {op.KeyName} returned {value}, not the latest write", step, scenario);
                    }

                    break;
                case CacheOpKind.Put:
                    var options = op.TimeToLive is { } ttl ? new CacheEntryOptions { TimeToLive = ttl } : null;
                    backend.Set(op.KeyName, step, options);
                    writes++;
                    latest[op.KeyName] = (step, op.TimeToLive is { } t ? time.GetUtcNow() + t : null);
                    Check(backend.SnapshotLiveEntries().TryGetValue(op.KeyName, out var stored) && (int)stored! == step, $"{op.KeyName} is not present right after it was written", step, scenario);
                    break;
                case CacheOpKind.Remove:
                    backend.Remove(op.KeyName);
                    latest.Remove(op.KeyName);
                    Check(!backend.TryGet<int>(op.KeyName, out _), $"{op.KeyName} is present after its removal", step, scenario);
                    break;
                case CacheOpKind.AdvanceTime:
                    time.Advance(op.Advance);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(scenario), op.Kind, "Unknown operation.");
            }

            var now = time.GetUtcNow();
            var live = backend.SnapshotLiveEntries();
            Check(backend.Count <= scenario.Capacity, $"the backend holds {backend.Count} entries, more than its capacity", step, scenario);
            foreach (var (key, stored) in live)
            {
                Check(latest.TryGetValue(key, out var written) && written.Value == (int)stored!, $"{key} holds {stored}, which is not its latest write", step, scenario);
                Check(written.ExpiresAt is not { } expiry || expiry > now, $"{key} is live after its expiry", step, scenario);
            }
        }

        // Every value written either is still held or was announced exactly once (replaced, removed, expired, evicted).
        Synchronously.Result(backend.CountAsync());
        var held = backend.SnapshotLiveEntries().Count;
        Check(announced.Count + held == writes, $"{writes} writes, {held} held, {announced.Count} announced", scenario.Operations.Count, scenario);
        Check(announced.Select(a => a.Value).Distinct().Count() == announced.Count, "a value was announced twice", scenario.Operations.Count, scenario);
        Check(announced.Count(a => a.Reason == CacheRemovalReason.Evicted) == backend.Statistics.Evictions, "the evictions announced differ from those counted", scenario.Operations.Count, scenario);
    }

    private static void Check(bool condition, string what, int step, ModelScenario scenario)
    {
        if (!condition)
        {
            throw new Xunit.Sdk.XunitException($"After step {step}: {what}. Scenario: {scenario}");
        }
    }
}
