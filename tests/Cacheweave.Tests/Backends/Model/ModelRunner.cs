using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// Runs one <see cref="ModelScenario"/> against a backend and the <see cref="ReferenceCache"/> side by side and
/// fails at the first step where they disagree: a read's result, a removal's result, the live contents after
/// the step, or the count bound; and at the end the statistics, the evictions announced and the live count.
/// </summary>
internal static class ModelRunner
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <returns>The model after the run, for tests that check what the scenarios exercised.</returns>
    public static ReferenceCache Run(BackendPolicy policy, ModelScenario scenario)
    {
        var time = new FakeTimeProvider(Start);
        using var backend = InMemoryBackends.Create(policy, scenario.Capacity, time, scenario.DefaultTimeToLive);
        var model = new ReferenceCache(policy, scenario.Capacity, scenario.DefaultTimeToLive);
        var evicted = new List<(string Key, int Value)>();
        backend.EntryRemoved += (_, e) =>
        {
            if (e.Reason == CacheRemovalReason.Evicted)
            {
                evicted.Add((e.Key, (int)e.Value!));
            }
        };

        for (var step = 0; step < scenario.Operations.Count; step++)
        {
            var op = scenario.Operations[step];
            var now = time.GetUtcNow();
            switch (op.Kind)
            {
                case CacheOpKind.Get:
                    var result = Synchronously.Result(backend.GetAsync<int>(op.KeyName));
                    Agree(model.Get(op.KeyName, now), result, "the result of the get", step, scenario);
                    break;
                case CacheOpKind.TryGet:
                    var hit = backend.TryGet<int>(op.KeyName, out var value);
                    Agree(model.Get(op.KeyName, now), hit ? new CacheResult<int>(value) : CacheResult<int>.Miss, "the result of TryGet", step, scenario);
                    break;
                case CacheOpKind.Put:
                    var options = op.TimeToLive is { } ttl ? new CacheEntryOptions { TimeToLive = ttl } : null;
                    Synchronously.Complete(backend.PutAsync(op.KeyName, step, options));
                    model.Put(op.KeyName, step, op.TimeToLive, now);
                    break;
                case CacheOpKind.Remove:
                    Agree(model.Remove(op.KeyName, now), Synchronously.Result(backend.RemoveAsync(op.KeyName)), "the result of the remove", step, scenario);
                    break;
                case CacheOpKind.AdvanceTime:
                    time.Advance(op.Advance);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(scenario), op.Kind, "Unknown operation.");
            }

            AgreeOnContents(model.LiveEntries(time.GetUtcNow()), backend.SnapshotLiveEntries(), step, scenario);
            if (backend.Count > scenario.Capacity)
            {
                Fail($"the backend holds {backend.Count} entries, more than its capacity", step, scenario);
            }
        }

        var end = scenario.Operations.Count;
        Agree(model.LiveEntries(time.GetUtcNow()).Count, Synchronously.Result(backend.CountAsync()), "the live count at the end", end, scenario);
        var statistics = backend.Statistics;
        Agree((model.Hits, model.Misses), (statistics.Hits, statistics.Misses), "the hits and misses", end, scenario);
        Agree(model.Evicted.Count, statistics.Evictions, "the evictions counted", end, scenario);
        Agree(model.Expirations, statistics.Expirations, "the expirations counted once every dead entry is purged", end, scenario);
        Agree(string.Join(", ", model.Evicted), string.Join(", ", evicted), "the evictions announced", end, scenario);
        return model;
    }

    private static void Agree<T>(T expected, T actual, string what, int step, ModelScenario scenario)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            Fail($"{what}: the model says {expected}, the backend {actual}", step, scenario);
        }
    }

    private static void AgreeOnContents(Dictionary<string, int> expected, Dictionary<string, object?> actual, int step, ModelScenario scenario)
    {
        var same = expected.Count == actual.Count
            && expected.All(pair => actual.TryGetValue(pair.Key, out var value) && value is int stored && stored == pair.Value);
        if (!same)
        {
            Fail($"the live contents: the model holds {{{Describe(expected.Select(p => (p.Key, (object?)p.Value)))}}}, "
                + $"the backend {{{Describe(actual.Select(p => (p.Key, p.Value)))}}}", step, scenario);
        }
    }

    private static string Describe(IEnumerable<(string Key, object? Value)> entries) =>
        string.Join(", ", entries.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));

    private static void Fail(string what, int step, ModelScenario scenario)
    {
        var at = step < scenario.Operations.Count ? $"after step {step} ({scenario.Operations[step]})" : "at the end";
        throw new XunitException($"Backend and model disagree {at} on {what}.{Environment.NewLine}Scenario: {scenario}");
    }
}
