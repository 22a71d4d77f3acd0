using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// Least frequently used in O(1): entries live in per-count buckets kept in a list ordered by count (the
/// constant-time LFU of Shah, Mitra and Matani, 2010). A hit moves an entry one bucket up; the victim is
/// the least recently promoted entry of the lowest bucket. Counts belong to the entry and die with it
/// ("in-cache" LFU): a key that is evicted and written again starts over at 1.
/// </summary>
/// <remarks>
/// An entry's <see cref="CacheEntry.Frequency"/> field holds the slot of its bucket, not the count (the count is the
/// bucket's): a hit finds the bucket by index instead of hashing the count. Counts only grow by one, so the bucket an
/// entry moves to is always the next one up or a new one between the two, and no lookup by count is needed at all.
/// Emptied buckets keep their slot and are reused, so that moving entries allocates nothing in the steady state.
/// </remarks>
internal sealed class LfuPolicy : EvictionPolicy
{
    private readonly List<FrequencyBucket> _slots = [];
    private readonly Stack<FrequencyBucket> _spares = new();
    private FrequencyBucket? _lowest;

    internal override bool TracksAccess => true;

    internal override void OnAdded(CacheEntry entry) => Place(entry, count: 1, below: null);

    internal override void OnReplaced(CacheEntry previous, CacheEntry replacement)
    {
        // A write to a live key counts as one more use of it.
        var bucket = BucketOf(previous);
        Place(replacement, Increment(bucket.Frequency), below: bucket);
        Unplace(previous, bucket);
    }

    internal override void OnAccessed(CacheEntry entry)
    {
        var bucket = BucketOf(entry);
        var next = Increment(bucket.Frequency);
        if (next == bucket.Frequency)
        {
            bucket.Entries.MoveToFirst(entry);
            return;
        }

        bucket.Entries.Remove(entry);
        Place(entry, next, below: bucket);
        if (bucket.Entries.Count == 0)
        {
            Unlink(bucket);
        }
    }

    internal override void OnRemoved(CacheEntry entry) => Unplace(entry, BucketOf(entry));

    internal override void OnSwapped(CacheEntry previous, CacheEntry replacement)
    {
        replacement.Frequency = previous.Frequency;
        BucketOf(previous).Entries.Replace(previous, replacement);
    }

    internal override CacheEntry? SelectVictim() => _lowest?.Entries.Last;

    internal override void Clear()
    {
        _slots.Clear();
        _spares.Clear();
        _lowest = null;
    }

    private static int Increment(int count) => count == int.MaxValue ? count : count + 1;

    private FrequencyBucket BucketOf(CacheEntry entry) => _slots[entry.Frequency];

    // Puts the entry at the front of the bucket for 'count'. 'below' is the bucket the entry comes from (count one
    // lower, or equal when the count is saturated), or null for a new entry (count 1), so the wanted bucket is 'below'
    // itself, the next one up, or a new one inserted between the two.
    private void Place(CacheEntry entry, int count, FrequencyBucket? below)
    {
        var higher = below is null ? _lowest : below.Higher;
        var bucket = below is not null && below.Frequency == count ? below : higher;
        if (bucket is null || bucket.Frequency != count)
        {
            bucket = Rent(count);
            bucket.Lower = below;
            bucket.Higher = higher;
            if (below is null)
            {
                _lowest = bucket;
            }
            else
            {
                below.Higher = bucket;
            }

            if (higher is not null)
            {
                higher.Lower = bucket;
            }
        }

        entry.Frequency = bucket.Slot;
        bucket.Entries.AddFirst(entry);
    }

    private FrequencyBucket Rent(int count)
    {
        if (!_spares.TryPop(out var bucket))
        {
            bucket = new FrequencyBucket(_slots.Count);
            _slots.Add(bucket);
        }

        bucket.Frequency = count;
        return bucket;
    }

    private void Unplace(CacheEntry entry, FrequencyBucket bucket)
    {
        bucket.Entries.Remove(entry);
        if (bucket.Entries.Count == 0)
        {
            Unlink(bucket);
        }
    }

    private void Unlink(FrequencyBucket bucket)
    {
        if (bucket.Lower is null)
        {
            _lowest = bucket.Higher;
        }
        else
        {
            bucket.Lower.Higher = bucket.Higher;
        }

        if (bucket.Higher is not null)
        {
            bucket.Higher.Lower = bucket.Lower;
        }

        bucket.Lower = null;
        bucket.Higher = null;
        _spares.Push(bucket);
    }
}
