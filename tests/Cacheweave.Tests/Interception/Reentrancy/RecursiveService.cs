namespace Cacheweave.Tests.Interception.Reentrancy;

/// <summary>
/// Calls its own proxy: with a different key (n - 1) always, with the same key while <see cref="SelfCalls"/> is positive.
/// The first call of <c>SlowAsync</c>/<c>Slow</c> blocks on <see cref="Gate"/>; later ones return at once.
/// </summary>
public sealed class RecursiveService : IRecursiveService
{
    private int _selfCalls;
    private int _slowCalls;

    public IRecursiveService? Proxy { get; set; }

    public int SelfCalls
    {
        get => Volatile.Read(ref _selfCalls);
        set => Volatile.Write(ref _selfCalls, value);
    }

    public int SlowCalls => Volatile.Read(ref _slowCalls);

    public ManualResetEventSlim Gate { get; } = new();

    public async Task<int> DepthAsync(int n)
    {
        await Task.Yield();
        if (Interlocked.Decrement(ref _selfCalls) >= 0)
        {
            return await Proxy!.DepthAsync(n);
        }

        return n <= 0 ? 0 : 1 + await Proxy!.DepthAsync(n - 1);
    }

    public int Depth(int n)
    {
        if (Interlocked.Decrement(ref _selfCalls) >= 0)
        {
            return Proxy!.Depth(n);
        }

        return n <= 0 ? 0 : 1 + Proxy!.Depth(n - 1);
    }

    public async Task<int> SlowAsync(int n)
    {
        if (Interlocked.Increment(ref _slowCalls) == 1)
        {
            await Task.Run(() => Gate.Wait());
        }

        return n * 10;
    }

    public int Slow(int n)
    {
        if (Interlocked.Increment(ref _slowCalls) == 1)
        {
            Gate.Wait();
        }

        return n * 10;
    }
}
