namespace Cacheweave.Tiers;

/// <summary>
/// One asynchronous lock per stripe of a <see cref="LocalCopyGuard"/>: whoever changes a key's local copy holds its
/// stripe, so that a read-through can check the guard and install its copy as one step.
/// </summary>
internal sealed class LocalTierLocks
{
    private readonly SemaphoreSlim[] _stripes = CreateStripes();

    /// <summary>Enters the stripe of <paramref name="key"/>; dispose the result to leave it.</summary>
    public async ValueTask<Held> EnterAsync(string key)
    {
        var stripe = _stripes[LocalCopyGuard.StripeOf(key)];
        await stripe.WaitAsync().ConfigureAwait(false);
        return new Held(stripe, null);
    }

    /// <summary>Enters every stripe, in order (for clears); dispose the result to leave them.</summary>
    public async ValueTask<Held> EnterAllAsync()
    {
        foreach (var stripe in _stripes)
        {
            await stripe.WaitAsync().ConfigureAwait(false);
        }

        return new Held(null, _stripes);
    }

    private static SemaphoreSlim[] CreateStripes()
    {
        var stripes = new SemaphoreSlim[LocalCopyGuard.Stripes];
        for (var i = 0; i < stripes.Length; i++)
        {
            stripes[i] = new SemaphoreSlim(1, 1);
        }

        return stripes;
    }

    /// <summary>A stripe (or all of them) held until disposed.</summary>
    internal readonly struct Held(SemaphoreSlim? one, SemaphoreSlim[]? all) : IDisposable
    {
        public void Dispose()
        {
            one?.Release();
            if (all is not null)
            {
                for (var i = all.Length - 1; i >= 0; i--)
                {
                    all[i].Release();
                }
            }
        }
    }
}
