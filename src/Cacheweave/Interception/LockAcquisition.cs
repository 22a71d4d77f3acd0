namespace Cacheweave.Interception;

/// <summary>How a wait for a key of <see cref="KeyedLock"/> ended.</summary>
internal readonly struct LockAcquisition
{
    public LockAcquisition(KeyedLock.Releaser releaser, bool acquired, bool waited)
    {
        Releaser = releaser;
        Acquired = acquired;
        Waited = waited;
    }

    /// <summary>Releases the key when disposed; does nothing when the key was not acquired.</summary>
    public KeyedLock.Releaser Releaser { get; }

    /// <summary>Whether the caller holds the key (<see langword="false"/>: the wait timed out).</summary>
    public bool Acquired { get; }

    /// <summary>Whether another caller held the key when this one asked for it, so this one had to wait.</summary>
    public bool Waited { get; }
}
