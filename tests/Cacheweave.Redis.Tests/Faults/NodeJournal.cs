using System.Globalization;

namespace Cacheweave.Redis.Tests.Faults;

/// <summary>What one node process recorded (see Cacheweave.FaultNode's Journal for the line format).</summary>
public sealed class NodeJournal
{
    public required string Node { get; init; }

    public List<ReadRecord> Reads { get; } = [];

    public List<string> Errors { get; } = [];

    public List<InvalidationRecord> Invalidations { get; } = [];

    public List<LogRecord> Logs { get; } = [];

    /// <summary>How often the real method ran in this node.</summary>
    public int Runs { get; private set; }

    /// <summary>How long resolving the cached proxy took.</summary>
    public double ResolveMilliseconds { get; private set; }

    /// <summary>How long after resolving the first invalidation reached Redis (the tier connects in the background).</summary>
    public double ConnectMilliseconds { get; private set; }

    public static NodeJournal Parse(string node, IEnumerable<string> lines)
    {
        var journal = new NodeJournal { Node = node };
        foreach (var line in lines)
        {
            var f = line.Split('\t');
            switch (f[0])
            {
                case "read":
                    journal.Reads.Add(new ReadRecord(Long(f[1]), Long(f[2]), f[4], Long(f[5])));
                    break;
                case "error":
                    journal.Errors.Add($"{f[4]}: {f[5]}");
                    break;
                case "invalidate":
                    journal.Invalidations.Add(new InvalidationRecord(Long(f[1]), Long(f[2]), f[3], Long(f[4]), f[5]));
                    break;
                case "log":
                    journal.Logs.Add(new LogRecord(Long(f[1]), int.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4], f[5]));
                    break;
                case "runs":
                    journal.Runs = int.Parse(f[1], CultureInfo.InvariantCulture);
                    break;
                case "resolve":
                    journal.ResolveMilliseconds = double.Parse(f[1], CultureInfo.InvariantCulture);
                    break;
                case "connect":
                    journal.ConnectMilliseconds = double.Parse(f[1], CultureInfo.InvariantCulture);
                    break;
                default:
                    throw new FormatException($"Unknown journal line in {node}: {line}");
            }
        }

        return journal;
    }

    private static long Long(string text) => long.Parse(text, CultureInfo.InvariantCulture);
}
