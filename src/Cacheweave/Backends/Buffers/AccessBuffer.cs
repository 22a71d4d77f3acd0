using System.Runtime.CompilerServices;
using Cacheweave.Backends.Counters;
using Cacheweave.Backends.Engine;

namespace Cacheweave.Backends.Buffers;

/// <summary>
/// Records cache hits without taking the backend's lock. Each thread writes into one of several small ring
/// buffers (picked by <see cref="ThreadStripe.Number"/>, so two threads rarely touch the same cache line); the backend replays
/// them into its eviction policy under its lock: a reader's own stripe when it is full (if the lock is free), and every
/// stripe before any write or removal.
/// </summary>
/// <remarks>
/// A record is dropped only under contention: when two threads claim the same slot at once (threads sharing a stripe),
/// when a reader's stripe is full while another thread holds the backend's lock (the backend then drops the record
/// rather than wait), and for a short while after that has happened (<see cref="NoteContention"/>): the next
/// <see cref="SampledDrains"/> replays of a full stripe replay only its newest <see cref="SampleSize"/> records. A
/// single thread never finds the lock held by another, so it never loses one, and since every record is replayed
/// before the next write or removal, in order, the policy goes through the same states whichever thread replays and
/// when: the LRU stays exact for single-threaded use and a replayed trace gives the same result every time (the
/// hit-ratio tests pin them).
/// </remarks>
internal sealed class AccessBuffer
{
    /// <summary>How many records a sampled replay of a full stripe keeps: its newest eighth.</summary>
    internal const int SampleSize = Stripe.Size / 8;

    /// <summary>How many replays of a full stripe are sampled after a reader found the lock held by another thread.</summary>
    internal const int SampledDrains = 8;

    private readonly Stripe[] _stripes;
    private readonly int _mask;

    // Replays of a full stripe still to be sampled. Set without the lock by a reader that found the lock taken, counted
    // down under it; a lost update only shortens or lengthens a run.
    private int _sampledDrainsLeft;

    internal AccessBuffer()
    {
        var count = ThreadStripe.CountFor(perProcessor: 4);
        _stripes = new Stripe[count];
        for (var i = 0; i < count; i++)
        {
            _stripes[i] = new Stripe();
        }

        _mask = count - 1;
    }

    internal enum AddResult
    {
        /// <summary>Recorded.</summary>
        Added,

        /// <summary>Not recorded: the stripe is full.</summary>
        Full,

        /// <summary>Not recorded: another thread claimed the slot at the same moment.</summary>
        Contended,
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal AddResult TryAdd(CacheEntry entry) => _stripes[ThreadStripe.Number & _mask].TryAdd(entry);

    /// <summary>How many accesses were ever recorded (each claims one slot, whether replayed yet or not).</summary>
    internal long Recorded
    {
        get
        {
            long sum = 0;
            foreach (var stripe in _stripes)
            {
                sum += stripe.Claimed;
            }

            return sum;
        }
    }

    /// <summary>Replays every recorded access into <paramref name="policy"/>; call under the backend's lock.</summary>
    internal void Drain(EvictionPolicy policy)
    {
        foreach (var stripe in _stripes)
        {
            stripe.Drain(policy);
        }
    }

    /// <summary>
    /// Replays the calling thread's stripe into <paramref name="policy"/>; call under the backend's lock. A reader whose
    /// stripe is full replays only its own: the other stripes are other threads' cache lines, and every write and
    /// removal still replays them all first. Within <see cref="SampledDrains"/> replays of a call to
    /// <see cref="NoteContention"/> only the stripe's newest <see cref="SampleSize"/> records reach the policy.
    /// </summary>
    internal void DrainOwn(EvictionPolicy policy)
    {
        var stripe = _stripes[ThreadStripe.Number & _mask];
        var sampled = _sampledDrainsLeft;
        if (sampled > 0)
        {
            _sampledDrainsLeft = sampled - 1;
            stripe.Drain(policy, keepNewest: SampleSize);
        }
        else
        {
            stripe.Drain(policy);
        }
    }

    /// <summary>
    /// Says that a reader found its stripe full while another thread held the backend's lock: threads are using the
    /// backend at the same moment. Replaying every record then costs more than the records are worth (the replaying
    /// thread moves entries and counters whose cache lines the other threads keep reading), so the next
    /// <see cref="SampledDrains"/> replays of a full stripe keep only a sample of it, as Caffeine's and BitFaster's lossy
    /// read buffers do. Callable without the lock.
    /// </summary>
    internal void NoteContention() => Volatile.Write(ref _sampledDrainsLeft, SampledDrains);

    /// <summary>Forgets every recorded access; call under the backend's lock.</summary>
    internal void Discard()
    {
        foreach (var stripe in _stripes)
        {
            stripe.Drain(policy: null);
        }
    }

    private sealed class Stripe
    {
        internal const int Size = 64;
        private const int Mask = Size - 1;

        // Slots wrap the reference in a struct: taking a reference to an element of a CacheEntry[] costs a type check
        // (the array could be of a derived type), one to a field of a struct element does not.
        private readonly Slot[] _slots = new Slot[Size];
        private PaddedCounter _tail;
        private PaddedCounter _head;

        internal long Claimed => Volatile.Read(ref _tail.Value);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal AddResult TryAdd(CacheEntry entry)
        {
            var head = Volatile.Read(ref _head.Value);
            var tail = Volatile.Read(ref _tail.Value);
            if (tail - head >= Size)
            {
                return AddResult.Full;
            }

            if (Interlocked.CompareExchange(ref _tail.Value, tail + 1, tail) != tail)
            {
                return AddResult.Contended;
            }

            Volatile.Write(ref _slots[(int)(tail & Mask)].Entry, entry);
            return AddResult.Added;
        }

        // Replays the records from the oldest on; with keepNewest below Size, the records older than the newest
        // keepNewest claimed ones are taken out of the stripe without reaching the policy.
        internal void Drain(EvictionPolicy? policy, int keepNewest = Size)
        {
            var head = _head.Value;
            var tail = Volatile.Read(ref _tail.Value);
            var firstKept = tail - keepNewest;
            for (; head < tail; head++)
            {
                ref var slot = ref _slots[(int)(head & Mask)].Entry;
                var entry = Volatile.Read(ref slot);
                if (entry is null)
                {
                    // A writer claimed this slot but has not filled it yet; the next drain takes it.
                    break;
                }

                slot = null;
                if (policy is not null && head >= firstKept && !entry.IsRemoved)
                {
                    policy.OnAccessed(entry);
                }
            }

            Volatile.Write(ref _head.Value, head);
        }

        private struct Slot
        {
            internal CacheEntry? Entry;
        }
    }
}
