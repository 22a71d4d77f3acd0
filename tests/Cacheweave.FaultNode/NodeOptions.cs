namespace Cacheweave.FaultNode;

/// <summary>
/// The command line: <c>--redis 127.0.0.1:6379 --role writer|reader --id 1 --truth DIR --journal FILE --prefix P --keys a,b</c>.
/// </summary>
public sealed class NodeOptions
{
    public required string Redis { get; init; }

    public required bool IsWriter { get; init; }

    public required int Id { get; init; }

    public required string TruthDirectory { get; init; }

    public required string JournalPath { get; init; }

    public required string KeyPrefix { get; init; }

    public required IReadOnlyList<string> Keys { get; init; }

    /// <summary>How many tasks call the cached proxy at once.</summary>
    public int Callers { get; init; } = 8;

    public static NodeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option such as --redis, found '{args[i]}'.", nameof(args));
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Required(string name) =>
            values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.", nameof(args));

        var role = Required("role");
        if (role is not ("writer" or "reader"))
        {
            throw new ArgumentException($"--role is writer or reader, not '{role}'.", nameof(args));
        }

        return new NodeOptions
        {
            Redis = Required("redis"),
            IsWriter = role == "writer",
            Id = int.Parse(Required("id"), System.Globalization.CultureInfo.InvariantCulture),
            TruthDirectory = Required("truth"),
            JournalPath = Required("journal"),
            KeyPrefix = Required("prefix"),
            Keys = Required("keys").Split(',', StringSplitOptions.RemoveEmptyEntries),
            Callers = values.TryGetValue("callers", out var callers) ? int.Parse(callers, System.Globalization.CultureInfo.InvariantCulture) : 8,
        };
    }
}
