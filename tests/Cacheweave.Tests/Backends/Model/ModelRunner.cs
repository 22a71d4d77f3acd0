using Cacheweave.Backends;
using Cacheweave.Keys;
using Microsoft.Extensions.Time.Testing;
using Xunit.Sdk;

namespace Cacheweave.Tests.Backends.Model;

/// <summary>
/// Runs one <see cref="ModelScenario"/> against a backend and the <see cref="ReferenceCache"/> side by side and
/// fails at the first step where they disagree: a read's result, a removal's result, whether a put was refused as too
/// large, the live contents after the step, the count bound or the byte bound; and at the end the statistics, the
/// evictions announced, the live count and the bytes held.
/// </summary>
internal static class ModelRunner
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <returns>The model after the run, for tests that check what the scenarios exercised.</returns>
    public static ReferenceCache Run(BackendPolicy policy, ModelScenario scenario)
    {
        var time = new FakeTimeProvider(Start);

        // The sizer knows each value's size because every put writes its own step number as the value.
        var sizeOfValue = new Dictionary<int, long>();
        using var backend = scenario.MaxBytes is { } maxBytes
            ? InMemoryBackends.CreateWithByteBudget(
                policy, scenario.Capacity, maxBytes, time, scenario.DefaultTimeToLive, scenario.UseSizer ? (_, value) => sizeOfValue[(int)value!] : null)
            : InMemoryBackends.Create(policy, scenario.Capacity, time, scenario.DefaultTimeToLive);
        var model = new ReferenceCache(policy, scenario.Capacity, scenario.DefaultTimeToLive, scenario.MaxBytes);
        var evicted = new List<(string Key, int Value)>();
        var handles = new Dictionary<string, KeyHandle>(StringComparer.Ordinal);
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
                case CacheOpKind.TryGetByHandle:
                    var handle = handles.TryGetValue(op.KeyName, out var known) ? known : handles[op.KeyName] = new KeyHandle(op.KeyName);
                    var handleHit = backend.TryGetRemembered<int>(handle, out var handleValue);
                    Agree(model.Get(op.KeyName, now), handleHit ? new CacheResult<int>(handleValue) : CacheResult<int>.Miss, "the result of a read through the key's handle", step, scenario);
                    break;
                case CacheOpKind.Put:
                    sizeOfValue[step] = op.Size;
                    var options = new CacheEntryOptions { TimeToLive = op.TimeToLive, Size = scenario.MaxBytes is null || scenario.UseSizer ? null : op.Size };
                    var refused = false;
                    try
                    {
                        Synchronously.Complete(backend.PutAsync(op.KeyName, step, options));
                    }
                    catch (CacheEntryTooLargeException e) when (e.Key == op.KeyName && e.Size == op.Size)
                    {
                        refused = true;
                    }

                    Agree(!model.Put(op.KeyName, step, op.TimeToLive, now, op.Size), refused, "whether the put was refused as too large", step, scenario);
                    break;
                case CacheOpKind.ResizeCapacity:
                    backend.Resize((int)op.Size);
                    model.Resize((int)op.Size, now);
                    break;
                case CacheOpKind.ResizeBytes:
                    backend.ResizeBytes(op.Size);
                    model.ResizeBytes(op.Size, now);
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
            if (backend.Count > model.Capacity)
            {
                Fail($"the backend holds {backend.Count} entries, more than its capacity", step, scenario);
            }

            if (scenario.MaxBytes is not null)
            {
                AgreeOnBytes(backend, model, step, scenario);
            }
        }

        var end = scenario.Operations.Count;
        Agree(model.LiveEntries(time.GetUtcNow()).Count, Synchronously.Result(backend.CountAsync()), "the live count at the end", end, scenario);
        var statistics = backend.Statistics;
        Agree((model.Hits, model.Misses), (statistics.Hits, statistics.Misses), "the hits and misses", end, scenario);
        Agree(model.Evicted.Count, statistics.Evictions, "the evictions counted", end, scenario);
        Agree(model.Expirations, statistics.Expirations, "the expirations counted once every dead entry is purged", end, scenario);
        Agree(string.Join(", ", model.Evicted), string.Join(", ", evicted), "the evictions announced", end, scenario);
        if (scenario.MaxBytes is not null)
        {
            Agree(model.Bytes, backend.Bytes, "the bytes held once every dead entry is purged", end, scenario);
        }

        return model;
    }

    // The bound after every step; the counter against the entries themselves (dead ones count until purged, so the
    // model's live sum can only be compared at the end).
    private static void AgreeOnBytes(InMemoryBackend backend, ReferenceCache model, int step, ModelScenario scenario)
    {
        var statistics = backend.Statistics;
        if (statistics.Bytes > statistics.MaxBytes || statistics.MaxBytes != model.MaxBytes)
        {
            Fail($"the byte bound: the backend holds {statistics.Bytes} bytes with a budget of {statistics.MaxBytes} (the model's is {model.MaxBytes})", step, scenario);
        }

        Agree(backend.SumOfEntrySizes(), statistics.Bytes, "the bytes counted against the sizes of the entries held", step, scenario);
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
