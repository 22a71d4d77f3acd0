using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Lfu;

/// <summary>
/// The entries of an LFU backend that share one use count, most recently promoted first, linked to the
/// buckets of the next lower and higher counts that have entries.
/// </summary>
internal sealed class FrequencyBucket(int slot)
{
    /// <summary>Where the policy keeps this bucket; its entries hold this number instead of their count.</summary>
    internal int Slot { get; } = slot;

    internal int Frequency { get; set; }

    internal EntryList Entries { get; } = new();

    internal FrequencyBucket? Lower { get; set; }

    internal FrequencyBucket? Higher { get; set; }
}
