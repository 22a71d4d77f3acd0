namespace Cacheweave.Tests.Traces;

/// <summary>
/// Finds the trace files. The traces the tests read are committed in <c>tests/data</c>, so a fresh clone passes with
/// nothing beside it; a trace that is not there is looked for in <c>../shared/traces</c> beside the repository (where
/// CI and the hit-ratio lab keep the full set). The repository is the folder holding <c>Cacheweave.sln</c>, found by
/// walking up from the running assembly, so the lookup works from any build output folder below it.
/// </summary>
internal static class TraceDirectory
{
    private const string SolutionFile = "Cacheweave.sln";

    /// <summary>The traces the tests read, committed in <c>tests/data</c>: that folder holds these and its README only.</summary>
    public static readonly IReadOnlyList<string> CommittedTraces = ["OLTP.lis.gz", "cs.trace.gz", "gli.trace.gz", "loop.trace.gz"];

    /// <summary>The full path of the trace file <paramref name="fileName"/>: in <c>tests/data</c>, else in <c>../shared/traces</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>Cacheweave.sln</c> above the running assembly.</exception>
    /// <exception cref="FileNotFoundException">Neither folder holds the file.</exception>
    public static string GetFile(string fileName) => GetFile(fileName, AppContext.BaseDirectory);

    /// <summary>
    /// The full path of the trace file <paramref name="fileName"/>, looking for the repository above
    /// <paramref name="startDirectory"/>: its <c>tests/data</c> first, then <c>../shared/traces</c> beside it.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No <c>Cacheweave.sln</c> above <paramref name="startDirectory"/>.</exception>
    /// <exception cref="FileNotFoundException">Neither folder holds the file.</exception>
    public static string GetFile(string fileName, string startDirectory)
    {
        var repository = FindRepository(startDirectory);
        var committed = Path.Combine(DataFolder(repository), fileName);
        if (File.Exists(committed))
        {
            return committed;
        }

        var shared = Path.Combine(SharedFolder(repository), fileName);
        if (File.Exists(shared))
        {
            return shared;
        }

        throw new FileNotFoundException(
            $"The trace '{fileName}' is neither in {DataFolder(repository)} (tests/data, committed) nor in {SharedFolder(repository)} (../shared/traces beside the repository).",
            committed);
    }

    /// <summary>The full path of the repository's <c>tests/data</c> folder, looking up from <paramref name="startDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">No <c>Cacheweave.sln</c> above <paramref name="startDirectory"/>.</exception>
    public static string LocateCommitted(string startDirectory) => DataFolder(FindRepository(startDirectory));

    /// <summary>The full path of the shared traces folder (every trace, for the hit-ratio lab).</summary>
    /// <exception cref="DirectoryNotFoundException">The traces folder or the solution cannot be found.</exception>
    public static string Locate() => Locate(AppContext.BaseDirectory);

    /// <summary>The full path of the shared traces folder, looking for the repository above <paramref name="startDirectory"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The traces folder or the solution cannot be found.</exception>
    public static string Locate(string startDirectory)
    {
        var traces = SharedFolder(FindRepository(startDirectory));
        if (!Directory.Exists(traces))
        {
            throw new DirectoryNotFoundException(
                $"The full set of cache traces is expected in {traces} (../shared/traces relative to the folder holding {SolutionFile}); "
                + "the tests need only the ones committed in tests/data.");
        }

        return traces;
    }

    private static string DataFolder(string repository) => Path.Combine(repository, "tests", "data");

    private static string SharedFolder(string repository) => Path.GetFullPath(Path.Combine(repository, "..", "shared", "traces"));

    private static string FindRepository(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException(
            $"No {SolutionFile} above {startDirectory}; the traces are expected in tests/data of the repository, or in ../shared/traces beside it.");
    }
}
