namespace Cacheweave.Benchmarks.HitRatio;

/// <summary>Finds the shared trace folder: <c>../shared/traces</c> next to the repository holding <c>Cacheweave.sln</c>.</summary>
public static class TraceLocator
{
    /// <summary>Set this environment variable to read the traces from another folder.</summary>
    public const string OverrideVariable = "CACHEWEAVE_TRACES";

    /// <summary>The trace folder, or <see langword="null"/> when it cannot be found.</summary>
    public static string? FindTraceDirectory()
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } overridden)
        {
            return Directory.Exists(overridden) ? overridden : null;
        }

        var repository = FindRepositoryRoot();
        if (repository is null)
        {
            return null;
        }

        var traces = Path.GetFullPath(Path.Combine(repository, "..", "shared", "traces"));
        return Directory.Exists(traces) ? traces : null;
    }

    /// <summary>The folder holding <c>Cacheweave.sln</c>, found by walking up from the running assembly (then from the working directory).</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Cacheweave.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>The path of the trace named <paramref name="name"/> (e.g. <c>OLTP</c>, <c>gli</c>), or <see langword="null"/>.</summary>
    public static string? FindTrace(string name)
    {
        var directory = FindTraceDirectory();
        if (directory is null)
        {
            return null;
        }

        return Directory.EnumerateFiles(directory, "*.gz")
            .FirstOrDefault(path => string.Equals(Trace.NameOf(path), name, StringComparison.OrdinalIgnoreCase));
    }
}
