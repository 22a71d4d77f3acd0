using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>
/// The journals of every node after one fault, and what they show. A read is <em>stale</em> when it started after the
/// writer's invalidation of its key returned and returned an older version than the writer had put in the source of
/// truth before invalidating.
/// </summary>
public sealed class FaultOutcome
{
    public required string Fault { get; init; }

    public required IReadOnlyList<NodeJournal> Nodes { get; init; }

    /// <summary>UTC ticks: the fault began.</summary>
    public required long FaultStart { get; init; }

    /// <summary>UTC ticks: the fault ended (the server was healthy again).</summary>
    public required long FaultEnd { get; init; }

    /// <summary>UTC ticks: the end of the recovery allowance; every read starting later must be fresh.</summary>
    public required long RecoveredBy { get; init; }

    /// <summary>The tier's configured timeout per Redis call.</summary>
    public required TimeSpan Timeout { get; init; }

    public IReadOnlyList<InvalidationRecord> Invalidations => field ??= [.. Nodes.SelectMany(n => n.Invalidations)];

    public int StaleAfterRecovery(NodeJournal node) => node.Reads.Count(r => r.Start >= RecoveredBy && IsStale(r));

    public int StaleAfterInvalidation(NodeJournal node) => node.Reads.Count(IsStale);

    /// <summary>Reads of the keys the writer invalidated that started after the recovery allowance.</summary>
    public int ReadsAfterRecovery(NodeJournal node) => node.Reads.Count(r => r.Start >= RecoveredBy && Invalidations.Any(i => i.Key == r.Key));

    /// <summary>
    /// From the end of the fault to the end of the last stale read on any node (zero when none was stale after the
    /// fault ended); null when nodes were still serving stale values after the recovery allowance.
    /// </summary>
    public TimeSpan? TimeToRecover
    {
        get
        {
            var stale = Nodes.SelectMany(n => n.Reads).Where(IsStale).ToList();
            if (stale.Any(r => r.Start >= RecoveredBy))
            {
                return null;
            }

            var last = stale.Count == 0 ? FaultEnd : stale.Max(r => r.End);
            return TimeSpan.FromTicks(Math.Max(0, last - FaultEnd));
        }
    }

    /// <summary>The slowest cached call that started between the beginning of the fault and the end of recovery.</summary>
    public TimeSpan WorstCall => Nodes.SelectMany(n => n.Reads)
        .Where(r => r.Start >= FaultStart && r.Start < RecoveredBy)
        .Select(r => r.Duration)
        .DefaultIfEmpty(TimeSpan.Zero)
        .Max();

    /// <summary>Pending removals the nodes replayed to Redis after the fault, as their logs report ("replayed N pending removals").</summary>
    public int Replayed => Nodes.Sum(n => n.Logs
        .Select(l => Regex.Match(l.Message, @"replayed (\d+)", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)))
        .Where(m => m.Success)
        .Sum(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));

    public bool IsStale(ReadRecord read) =>
        Invalidations.Any(i => i.Key == read.Key && read.Start >= i.End && read.Version < i.Version);

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"fault: {Fault}; configured timeout {Timeout.TotalMilliseconds:0} ms");
        foreach (var node in Nodes)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {node.Node,-8} reads {node.Reads.Count,7:N0}, after recovery {ReadsAfterRecovery(node),6:N0}, " +
                $"stale after recovery {StaleAfterRecovery(node),6:N0}, stale after the invalidation returned {StaleAfterInvalidation(node),6:N0}, " +
                $"errors {node.Errors.Count}, real method runs {node.Runs:N0}, resolve {node.ResolveMilliseconds:0} ms, connected {node.ConnectMilliseconds:0} ms later");
        }

        foreach (var invalidation in Invalidations)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  invalidate {invalidation.Key} -> v{invalidation.Version}: returned {invalidation.Result} after {invalidation.Duration.TotalMilliseconds:0} ms, " +
                $"{TimeSpan.FromTicks(invalidation.End - FaultStart).TotalMilliseconds:0} ms into the fault");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"  fault lasted {TimeSpan.FromTicks(FaultEnd - FaultStart).TotalMilliseconds:0} ms; worst call {WorstCall.TotalMilliseconds:0} ms; " +
            $"time to recover {(TimeToRecover is { } recover ? $"{recover.TotalMilliseconds:0} ms" : "never (stale after the allowance)")}; " +
            $"invalidations replayed {Replayed}");
        var events = Nodes.SelectMany(n => n.Logs).Where(l => l.At >= FaultStart)
            .GroupBy(l => (l.EventId, l.Level)).OrderBy(g => g.Key.EventId)
            .Select(g => $"{g.Key.EventId}/{g.Key.Level}×{g.Count()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  log events from the fault on: {string.Join(", ", events)}");

        // When each node's tier changed state (failures, 1101, are left out: there are hundreds), in ms from the fault's start.
        foreach (var node in Nodes)
        {
            var changes = node.Logs.Where(l => l.At >= FaultStart && l.EventId != 1101).Take(40)
                .Select(l => $"{l.EventId}@{TimeSpan.FromTicks(l.At - FaultStart).TotalMilliseconds:0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {node.Node,-8} timeline: {string.Join(" ", changes)}");
        }

        foreach (var error in Nodes.SelectMany(n => n.Errors.Select(e => $"{n.Node}: {e}")).Take(5))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  error {error}");
        }

        return text.ToString();
    }
}
