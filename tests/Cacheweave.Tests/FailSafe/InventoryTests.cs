namespace Cacheweave.Tests.FailSafe;

/// <summary>
/// What every test class of the cached <see cref="IInventory"/> shares: a fresh <see cref="InventoryHarness"/> per test,
/// its substitute service and its proxy.
/// </summary>
public abstract class InventoryTests : IDisposable
{
    /// <summary>How long a test waits for what another thread does (never for cache time, which the fake clock moves).</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected InventoryHarness Harness { get; } = new();

    protected IInventory Real => Harness.Real;

    protected IInventory Proxy => Harness.Proxy;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Harness.Dispose();
        }
    }
}
