using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// Least frequently used in O(1): entries live in per-count buckets kept in a list ordered by count (the
/// constant-time LFU of Shah, Mitra and Matani, 2010). A hit moves an entry one bucket up; the victim is
/// the least recently promoted entry of the lowest bucket. Counts belong to the entry and die with it
/// ("in-cache" LFU): a key that is evicted and written again starts over at 1.
/// </summary>
internal sealed class LfuPolicy : EvictionPolicy
{
    private readonly Dictionary<int, FrequencyBucket> _buckets = [];
    private FrequencyBucket? _lowest;

    // Emptied buckets, reused for new counts, so that moving entries between counts allocates nothing in the steady
    // state. A hit moves an entry to a count that may have no bucket yet, while the bucket it leaves may empty.
    private const int MaxSpareBuckets = 16;
    private readonly Stack<FrequencyBucket> _spares = new(MaxSpareBuckets);

    internal override bool TracksAccess => true;

    internal override void OnAdded(CacheEntry entry)
    {
        entry.Frequency = 1;
        Place(entry, below: null);
    }

    internal override void OnReplaced(CacheEntry previous, CacheEntry replacement)
    {
        // A write to a live key counts as one more use of it.
        replacement.Frequency = Increment(previous.Frequency);
        var bucket = _buckets[previous.Frequency];
        Place(replacement, below: bucket);
        Unplace(previous, bucket);
    }

    internal override void OnAccessed(CacheEntry entry)
    {
        var bucket = _buckets[entry.Frequency];
        var next = Increment(entry.Frequency);
        if (next == entry.Frequency)
        {
            bucket.Entries.MoveToFirst(entry);
            return;
        }

        bucket.Entries.Remove(entry);
        entry.Frequency = next;
        Place(entry, below: bucket);
        if (bucket.Entries.Count == 0)
        {
            Unlink(bucket);
        }
    }

    internal override void OnRemoved(CacheEntry entry) => Unplace(entry, _buckets[entry.Frequency]);

    internal override void OnSwapped(CacheEntry previous, CacheEntry replacement)
    {
        replacement.Frequency = previous.Frequency;
        _buckets[previous.Frequency].Entries.Replace(previous, replacement);
    }

    internal override CacheEntry? SelectVictim() => _lowest?.Entries.Last;

    internal override void Clear()
    {
        _buckets.Clear();
        _lowest = null;
    }

    private static int Increment(int frequency) => frequency == int.MaxValue ? frequency : frequency + 1;

    // Puts the entry at the front of the bucket for its count; 'below' is a bucket of a lower count
    // (or null for the bottom), from which the right position is one step up.
    private void Place(CacheEntry entry, FrequencyBucket? below)
    {
        // The bucket one step up is usually the one wanted: check it before asking the dictionary.
        var bucket = below is null ? _lowest : below.Higher;
        if (bucket?.Frequency != entry.Frequency && !_buckets.TryGetValue(entry.Frequency, out bucket))
        {
            bucket = _spares.TryPop(out var spare) ? spare : new FrequencyBucket();
            bucket.Frequency = entry.Frequency;
            var higher = below is null ? _lowest : below.Higher;
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

            _buckets.Add(entry.Frequency, bucket);
        }

        bucket.Entries.AddFirst(entry);
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

        _buckets.Remove(bucket.Frequency);
        bucket.Lower = null;
        bucket.Higher = null;
        if (_spares.Count < MaxSpareBuckets)
        {
            _spares.Push(bucket);
        }
    }
}
