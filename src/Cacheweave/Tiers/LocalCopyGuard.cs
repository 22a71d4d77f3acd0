namespace Cacheweave.Tiers;

/// <summary>
/// Decides whether a value may stay in the local tier of a <see cref="TwoLevelBackend"/> after a race with a
/// write, a removal or an invalidation of the same key.
/// </summary>
/// <remarks>
/// <para>
/// Keys map to stripes. Each stripe has an epoch, advanced when a local write or removal starts and again when it
/// ends, and when an invalidation arrives; and a count of local writes in progress. A clear does the same on a
/// global stripe that every key belongs to.
/// </para>
/// <para>
/// A read-through copies a value into the local tier only when no write was in progress as it started and the
/// epoch did not move while it read the shared tier. The check and the copy are one step: both run under the key's
/// stripe of <see cref="LocalTierLocks"/>, which every local write, removal and invalidation also holds, so no write
/// can complete between them and be overwritten by the older copy.
/// A write keeps its own local copy only when the epoch moved by exactly its own end step during its window —
/// otherwise another writer or an invalidation overlapped it and nobody can tell which value reached the shared
/// tier last. Either way the loser of a race leaves the local tier empty, which is a miss, never a stale hit.
/// </para>
/// </remarks>
internal sealed class LocalCopyGuard
{
    /// <summary>The number of stripes keys map to.</summary>
    public const int Stripes = 64;

    private const int StripeCount = Stripes;

    // One stripe per 64-byte cache line so that writes to different stripes do not contend.
    private const int Spacing = 8;

    private readonly long[] _epochs = new long[(StripeCount + 1) * Spacing];
    private readonly long[] _writers = new long[(StripeCount + 1) * Spacing];

    /// <summary>Index of the stripe every key belongs to, used by clears.</summary>
    private static int GlobalSlot => StripeCount * Spacing;

    /// <summary>Maps <paramref name="key"/> to the slot of its stripe.</summary>
    public static int SlotOf(string key) => StripeOf(key) * Spacing;

    /// <summary>Maps <paramref name="key"/> to its stripe, 0 to <see cref="Stripes"/> - 1.</summary>
    public static int StripeOf(string key) => (int)((uint)key.GetHashCode() % StripeCount);

    /// <summary>Takes the stamp a read-through compares against; <see langword="false"/> when a write is in progress.</summary>
    public bool TryBeginRead(int slot, out long stamp)
    {
        stamp = Stamp(slot);
        return Volatile.Read(ref _writers[slot]) == 0 && Volatile.Read(ref _writers[GlobalSlot]) == 0;
    }

    /// <summary>Tells whether nothing has touched the stripe since <paramref name="stamp"/> was taken.</summary>
    public bool IsUnchanged(int slot, long stamp)
    {
        // The caller has just written the local tier; the fence keeps that store ahead of these loads.
        Interlocked.MemoryBarrier();
        return Stamp(slot) == stamp
            && Volatile.Read(ref _writers[slot]) == 0
            && Volatile.Read(ref _writers[GlobalSlot]) == 0;
    }

    /// <summary>Marks the start of a local write or removal; returns its stamp.</summary>
    public long BeginWrite(int slot)
    {
        Interlocked.Increment(ref _writers[slot]);
        Interlocked.Increment(ref _epochs[slot]);
        return Stamp(slot);
    }

    /// <summary>Marks the end of a write; <see langword="true"/> when nothing overlapped it.</summary>
    public bool EndWrite(int slot, long stamp)
    {
        Interlocked.Increment(ref _epochs[slot]);
        var unchanged = Stamp(slot) == stamp + 1;
        Interlocked.Decrement(ref _writers[slot]);
        return unchanged;
    }

    /// <summary>Records that another process invalidated a key of this stripe.</summary>
    public void Invalidate(int slot) => Interlocked.Increment(ref _epochs[slot]);

    /// <summary>Marks the start of a clear.</summary>
    public void BeginClear()
    {
        Interlocked.Increment(ref _writers[GlobalSlot]);
        Interlocked.Increment(ref _epochs[GlobalSlot]);
    }

    /// <summary>Marks the end of a clear.</summary>
    public void EndClear()
    {
        Interlocked.Increment(ref _epochs[GlobalSlot]);
        Interlocked.Decrement(ref _writers[GlobalSlot]);
    }

    private long Stamp(int slot) => Volatile.Read(ref _epochs[slot]) + Volatile.Read(ref _epochs[GlobalSlot]);
}
