using Cacheweave.Interception;

namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>One cached method per return shape and value type, each returning <see cref="Expected"/> of its argument.</summary>
public interface IShapeService
{
    [Cached]
    Task<int> IntTaskAsync(int n);

    [Cached]
    ValueTask<int> IntValueTaskAsync(int n);

    [Cached]
    int IntSync(int n);

    [Cached]
    Task<long> LongTaskAsync(int n);

    [Cached]
    ValueTask<long> LongValueTaskAsync(int n);

    [Cached]
    long LongSync(int n);

    [Cached]
    Task<Pair> PairTaskAsync(int n);

    [Cached]
    ValueTask<Pair> PairValueTaskAsync(int n);

    [Cached]
    Pair PairSync(int n);

    [Cached]
    Task<string> TextTaskAsync(int n);

    [Cached]
    ValueTask<string> TextValueTaskAsync(int n);

    [Cached]
    string TextSync(int n);

    [Cached]
    Task<Reading> ReadingTaskAsync(int n);

    [Cached]
    ValueTask<Reading> ReadingValueTaskAsync(int n);

    [Cached]
    Reading ReadingSync(int n);
}
