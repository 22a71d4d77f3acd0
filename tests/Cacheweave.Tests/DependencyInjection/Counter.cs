namespace Cacheweave.Tests.DependencyInjection;

public sealed class Counter : ICounter, IDisposable
{
    private int _executions;

    public int Executions => _executions;

    public bool Disposed { get; private set; }

    public Task<int> NextAsync(int id) => Task.FromResult(Interlocked.Increment(ref _executions));

    public void Dispose() => Disposed = true;
}
