using Cacheweave.Benchmarks.Infrastructure;

namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>
/// The arguments of the <c>hitratio</c> command: <c>[--targets] [--kinds name,name...] [trace ...]</c>.
/// <c>--targets</c> checks TinyLFU's hit-ratio targets (issue 12) and, unless <c>--kinds</c> says otherwise, replays
/// only the three caches they compare; <c>--kinds</c> names the caches to replay (enum names or the short aliases
/// <c>lru</c>, <c>lfu</c>, <c>ttl</c>, <c>lruttl</c>, <c>tinylfu</c>, <c>clru</c>, <c>ctlru</c>, <c>clfu</c>, <c>memorycache</c>).
/// </summary>
/// <param name="Traces">The traces to replay; all of them when empty.</param>
/// <param name="Kinds">The caches to replay.</param>
/// <param name="Targets">Whether to check TinyLFU's targets and exit non-zero when one is missed.</param>
public sealed record LabOptions(IReadOnlyList<string> Traces, IReadOnlyList<CacheKind> Kinds, bool Targets)
{
    private static readonly Dictionary<string, CacheKind> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lru"] = CacheKind.CacheweaveLru,
        ["lfu"] = CacheKind.CacheweaveLfu,
        ["ttl"] = CacheKind.CacheweaveTtl,
        ["lruttl"] = CacheKind.CacheweaveLruTtl,
        ["tinylfu"] = CacheKind.CacheweaveTinyLfu,
        ["clru"] = CacheKind.ConcurrentLru,
        ["ctlru"] = CacheKind.ConcurrentTLru,
        ["clfu"] = CacheKind.ConcurrentLfu,
        ["memorycache"] = CacheKind.MemoryCache,
    };

    /// <summary>Parses the arguments that follow <c>hitratio</c>.</summary>
    /// <exception cref="ArgumentException">An option is unknown, <c>--kinds</c> has no value or names an unknown cache.</exception>
    public static LabOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var traces = new List<string>();
        List<CacheKind>? kinds = null;
        var targets = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--targets")
            {
                targets = true;
            }
            else if (arg == "--kinds" || arg.StartsWith("--kinds=", StringComparison.Ordinal))
            {
                var list = arg.Length > "--kinds".Length ? arg["--kinds=".Length..] : ++i < args.Count ? args[i] : throw new ArgumentException("--kinds needs a comma-separated list of caches.", nameof(args));
                kinds = [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(KindNamed)];
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown option {arg}; hitratio takes [--targets] [--kinds name,name...] [trace ...].", nameof(args));
            }
            else
            {
                traces.Add(arg);
            }
        }

        kinds ??= targets ? [.. TinyLfuTargets.Kinds] : [.. HitRatioLab.Kinds];
        return new LabOptions(traces, kinds, targets);
    }

    private static CacheKind KindNamed(string name) =>
        Aliases.TryGetValue(name, out var kind) || Enum.TryParse(name, ignoreCase: true, out kind)
            ? kind
            : throw new ArgumentException($"No cache named {name}; use {string.Join(", ", Aliases.Keys)} or a {nameof(CacheKind)} name.", nameof(name));
}
