namespace Cacheweave.Backends.Engine;

/// <summary>
/// An intrusive doubly linked list over <see cref="CacheEntry.Prev"/> and <see cref="CacheEntry.Next"/>:
/// O(1) insertion at the front, unlinking and moving, with no node allocations. The front holds the most
/// recently placed entry, the back the least recently placed. Not thread-safe; the backend's lock guards it.
/// </summary>
internal sealed class EntryList
{
    internal CacheEntry? First { get; private set; }

    internal CacheEntry? Last { get; private set; }

    internal int Count { get; private set; }

    internal void AddFirst(CacheEntry entry)
    {
        entry.Prev = null;
        entry.Next = First;
        if (First is null)
        {
            Last = entry;
        }
        else
        {
            First.Prev = entry;
        }

        First = entry;
        Count++;
    }

    internal void Remove(CacheEntry entry)
    {
        if (entry.Prev is null)
        {
            First = entry.Next;
        }
        else
        {
            entry.Prev.Next = entry.Next;
        }

        if (entry.Next is null)
        {
            Last = entry.Prev;
        }
        else
        {
            entry.Next.Prev = entry.Prev;
        }

        entry.Prev = null;
        entry.Next = null;
        Count--;
    }

    /// <summary>Puts <paramref name="replacement"/> where <paramref name="entry"/> is, and takes <paramref name="entry"/> out.</summary>
    internal void Replace(CacheEntry entry, CacheEntry replacement)
    {
        replacement.Prev = entry.Prev;
        replacement.Next = entry.Next;
        if (entry.Prev is null)
        {
            First = replacement;
        }
        else
        {
            entry.Prev.Next = replacement;
        }

        if (entry.Next is null)
        {
            Last = replacement;
        }
        else
        {
            entry.Next.Prev = replacement;
        }

        entry.Prev = null;
        entry.Next = null;
    }

    /// <summary>Appends the entries from the back (least recently placed) to the front.</summary>
    internal void AppendBackToFront(List<CacheEntry> entries)
    {
        for (var entry = Last; entry is not null; entry = entry.Prev)
        {
            entries.Add(entry);
        }
    }

    internal void MoveToFirst(CacheEntry entry)
    {
        if (ReferenceEquals(First, entry))
        {
            return;
        }

        Remove(entry);
        AddFirst(entry);
    }

    internal void Clear()
    {
        First = null;
        Last = null;
        Count = 0;
    }
}
