namespace Cacheweave.Benchmarks.Report;

/// <summary>Finds the repository the report writes into: the folder holding <c>Cacheweave.sln</c>.</summary>
public static class RepositoryRoot
{
    /// <summary>The repository folder above the working directory (or, failing that, above the running assembly); null when there is none.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
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
}
