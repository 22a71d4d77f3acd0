namespace Cacheweave.Tiers;

/// <summary>Disposes a tier (or channel) that a composite backend owns, whichever disposal pattern it implements.</summary>
internal static class OwnedTier
{
    /// <summary>Disposes <paramref name="owned"/> asynchronously when it can be, synchronously otherwise; ignores null.</summary>
    public static async ValueTask DisposeAsync(object? owned)
    {
        switch (owned)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    /// <summary>Disposes <paramref name="owned"/> when it is <see cref="IDisposable"/>.</summary>
    public static void Dispose(object? owned) => (owned as IDisposable)?.Dispose();
}
