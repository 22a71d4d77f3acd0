namespace Cacheweave.Tests.Traces;

public sealed class TraceDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("cacheweave-traces-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void A_committed_trace_is_read_from_tests_data_even_when_the_shared_folder_has_it_too()
    {
        var repository = CreateRepository();
        var committed = WriteTrace(Path.Combine("repo", "tests", "data"), "gli.trace.gz");
        WriteTrace(Path.Combine("shared", "traces"), "gli.trace.gz");
        var output = repository.CreateSubdirectory(Path.Combine("tests", "Cacheweave.Tests", "bin", "Release", "net10.0"));

        Assert.Equal(committed, TraceDirectory.GetFile("gli.trace.gz", output.FullName));
    }

    [Fact]
    public void A_trace_not_in_the_repository_is_read_from_the_shared_folder_beside_it()
    {
        var repository = CreateRepository();
        WriteTrace(Path.Combine("repo", "tests", "data"), "gli.trace.gz");
        var shared = WriteTrace(Path.Combine("shared", "traces"), "sprite.trace.gz");

        Assert.Equal(shared, TraceDirectory.GetFile("sprite.trace.gz", repository.FullName));
    }

    [Fact]
    public void A_trace_in_neither_folder_fails_naming_both()
    {
        var repository = CreateRepository();

        var error = Assert.Throws<FileNotFoundException>(() => TraceDirectory.GetFile("OLTP.lis.gz", repository.FullName));

        Assert.Contains(Path.Combine(repository.FullName, "tests", "data"), error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_root.FullName, "shared", "traces"), error.Message, StringComparison.Ordinal);
        Assert.Contains("OLTP.lis.gz", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_the_test_binaries_every_trace_the_tests_read_comes_from_the_repository()
    {
        var data = TraceDirectory.LocateCommitted(AppContext.BaseDirectory);

        Assert.True(File.Exists(Path.Combine(data, "..", "..", "Cacheweave.sln")), $"{data} is not the tests/data of the repository.");
        Assert.All(TraceDirectory.CommittedTraces, name => Assert.Equal(Path.Combine(data, name), TraceDirectory.GetFile(name)));
    }

    [Fact]
    public void The_repository_holds_only_the_traces_the_tests_read_and_their_attribution()
    {
        var data = TraceDirectory.LocateCommitted(AppContext.BaseDirectory);

        Assert.Equal(
            TraceDirectory.CommittedTraces.Append("README.md").Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(data).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!,
            StringComparer.Ordinal);
    }

    [Fact]
    public void The_shared_traces_are_found_beside_the_repository_from_below_it()
    {
        var repository = CreateRepository();
        var traces = _root.CreateSubdirectory(Path.Combine("shared", "traces"));
        var output = repository.CreateSubdirectory(Path.Combine("tests", "bin", "Release"));

        Assert.Equal(traces.FullName, TraceDirectory.Locate(output.FullName));
    }

    [Fact]
    public void A_missing_shared_folder_fails_saying_where_the_traces_are_expected()
    {
        var repository = CreateRepository();
        var expected = Path.Combine(_root.FullName, "shared", "traces");

        var error = Assert.Throws<DirectoryNotFoundException>(() => TraceDirectory.Locate(repository.FullName));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("../shared/traces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_a_repository_the_failure_says_so()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => TraceDirectory.GetFile("gli.trace.gz", _root.FullName));

        Assert.Contains("Cacheweave.sln", error.Message, StringComparison.Ordinal);
    }

    private DirectoryInfo CreateRepository()
    {
        var repository = _root.CreateSubdirectory("repo");
        File.WriteAllText(Path.Combine(repository.FullName, "Cacheweave.sln"), string.Empty);
        return repository;
    }

    private string WriteTrace(string folder, string name)
    {
        var path = Path.Combine(_root.CreateSubdirectory(folder).FullName, name);
        File.WriteAllText(path, "1\n");
        return path;
    }
}
