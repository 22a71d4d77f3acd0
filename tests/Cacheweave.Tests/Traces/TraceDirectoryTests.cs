namespace Cacheweave.Tests.Traces;

public sealed class TraceDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cacheweave-traces-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void The_traces_are_found_beside_the_repository_from_below_it()
    {
        var repository = _root.CreateSubdirectory("repo");
        File.WriteAllText(Path.Combine(repository.FullName, "Cacheweave.sln"), string.Empty);
        var traces = _root.CreateSubdirectory(Path.Combine("shared", "traces"));
        var output = repository.CreateSubdirectory(Path.Combine("tests", "bin", "Release"));

        Assert.Equal(traces.FullName, TraceDirectory.Locate(output.FullName));
    }

    [Fact]
    public void A_missing_traces_folder_fails_saying_where_the_traces_are_expected()
    {
        var repository = _root.CreateSubdirectory("repo");
        File.WriteAllText(Path.Combine(repository.FullName, "Cacheweave.sln"), string.Empty);
        var expected = Path.Combine(_root.FullName, "shared", "traces");

        var error = Assert.Throws<DirectoryNotFoundException>(() => TraceDirectory.Locate(repository.FullName));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("../shared/traces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_a_repository_the_failure_says_so()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => TraceDirectory.Locate(_root.FullName));

        Assert.Contains("Cacheweave.sln", error.Message, StringComparison.Ordinal);
    }
}
