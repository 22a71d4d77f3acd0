namespace Cacheweave.Tests.Traces;

/// <summary>
/// Finds the shared trace files: <c>../shared/traces</c> next to the repository, that is beside the folder that
/// holds <c>Cacheweave.sln</c>, found by walking up from the running assembly.
/// </summary>
internal static class TraceDirectory
{
    private const string SolutionFile = "Cacheweave.sln";

    /// <summary>The full path of the trace file <paramref name="fileName"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The traces folder or the solution cannot be found.</exception>
    /// <exception cref="FileNotFoundException">The folder exists but lacks the file.</exception>
    public static string GetFile(string fileName)
    {
        var directory = Locate();
        var path = Path.Combine(directory, fileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The trace '{fileName}' is missing from {directory}.", path);
        }

        return path;
    }

    /// <summary>The full path of the traces folder.</summary>
    /// <exception cref="DirectoryNotFoundException">The traces folder or the solution cannot be found.</exception>
    public static string Locate()
    {
        var repository = FindRepositoryRoot()
            ?? throw new DirectoryNotFoundException(
                $"No {SolutionFile} above {AppContext.BaseDirectory}; the traces are expected in ../shared/traces beside the repository root.");
        var traces = Path.GetFullPath(Path.Combine(repository, "..", "shared", "traces"));
        if (!Directory.Exists(traces))
        {
            throw new DirectoryNotFoundException(
                $"The cache traces are expected in {traces} (../shared/traces relative to the folder holding {SolutionFile}). "
                + "Put OLTP.lis.gz and the LIRS *.trace.gz files there; CI provides them.");
        }

        return traces;
    }

    private static string? FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
