using Cacheweave.Backends.Counters;

namespace Cacheweave.Tests.Backends.Lfu;

/// <summary>
/// A plain model of <see cref="Cacheweave.Backends.Lfu.ShadowCache"/>: the same W-TinyLFU rules over a dictionary and
/// three <see cref="LinkedList{T}"/> segments (index 0 window, 1 probation, 2 protected; first is most recent).
/// </summary>
internal sealed class ReferenceShadowCache(int capacity, int windowMax, CountMinSketch sketch)
{
    private readonly Dictionary<int, (LinkedListNode<int> Node, int Segment)> _map = [];
    private readonly LinkedList<int>[] _segments = [new(), new(), new()];
    private readonly int _protectedMax = (int)(0.8 * (capacity - windowMax));

    public int Count => _map.Count;

    public bool Contains(int hash) => _map.ContainsKey(hash);

    public bool Access(int hash, int margin)
    {
        if (_map.TryGetValue(hash, out var found))
        {
            var target = found.Segment == 0 ? 0 : 2;
            Move(hash, target);
            while (_segments[2].Count > _protectedMax)
            {
                Move(_segments[2].Last!.Value, 1);
            }

            return true;
        }

        if (_map.Count >= capacity)
        {
            var victim = _segments[1].Last ?? _segments[2].Last;
            var candidate = _segments[0].Last;
            int evicted;
            if (_segments[0].Count < windowMax || candidate is null)
            {
                evicted = (victim ?? candidate)!.Value;
            }
            else if (victim is null)
            {
                evicted = candidate.Value;
            }
            else if (sketch.Estimate(candidate.Value) - sketch.Estimate(victim.Value) > margin)
            {
                evicted = victim.Value;
                Move(candidate.Value, 1);
            }
            else
            {
                evicted = candidate.Value;
            }

            var gone = _map[evicted];
            _segments[gone.Segment].Remove(gone.Node);
            _map.Remove(evicted);
        }

        _map[hash] = (_segments[0].AddFirst(hash), 0);
        while (_segments[0].Count > windowMax)
        {
            Move(_segments[0].Last!.Value, 1);
        }

        return false;
    }

    private void Move(int hash, int segment)
    {
        var (node, from) = _map[hash];
        _segments[from].Remove(node);
        _map[hash] = (_segments[segment].AddFirst(hash), segment);
    }
}
