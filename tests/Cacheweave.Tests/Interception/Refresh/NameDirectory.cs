namespace Cacheweave.Tests.Interception.Refresh;

/// <summary>The real directory: every method answers from <see cref="Names"/>, or throws while <see cref="Failing"/>.</summary>
public sealed class NameDirectory : INameDirectory
{
    private int _calls;
    private volatile bool _failing;

    public Dictionary<int, string?> Names { get; } = [];

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public int Calls => Volatile.Read(ref _calls);

    public Task<string?> FindAsync(int id) => Task.FromResult(Lookup(id));

    public ValueTask<string?> FindValueAsync(int id) => new(Lookup(id));

    public string? FindSync(int id) => Lookup(id);

    public Task<string?> FindSafeAsync(int id) => Task.FromResult(Lookup(id));

    public Task<string?> FindEagerAsync(int id) => Task.FromResult(Lookup(id));

    public Task<string> NameAsync(int id) => Task.FromResult(Lookup(id) ?? string.Empty);

    private string? Lookup(int id)
    {
        Interlocked.Increment(ref _calls);
        if (Failing)
        {
            throw new InvalidOperationException("The directory is down.");
        }

        lock (Names)
        {
            return Names.GetValueOrDefault(id);
        }
    }
}
