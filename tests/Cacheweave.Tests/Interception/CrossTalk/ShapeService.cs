namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>The real service behind the stress tests; every miss yields once, so concurrent misses overlap.</summary>
public sealed class ShapeService : IShapeService
{
    public Task<int> IntTaskAsync(int n) => Later(Expected.Square(n));

    public async ValueTask<int> IntValueTaskAsync(int n) => await Later(Expected.Square(n));

    public int IntSync(int n) => Expected.Square(n);

    public Task<long> LongTaskAsync(int n) => Later(Expected.Wide(n));

    public async ValueTask<long> LongValueTaskAsync(int n) => await Later(Expected.Wide(n));

    public long LongSync(int n) => Expected.Wide(n);

    public Task<Pair> PairTaskAsync(int n) => Later(Expected.Pair(n));

    public async ValueTask<Pair> PairValueTaskAsync(int n) => await Later(Expected.Pair(n));

    public Pair PairSync(int n) => Expected.Pair(n);

    public Task<string> TextTaskAsync(int n) => Later(Expected.Text(n));

    public async ValueTask<string> TextValueTaskAsync(int n) => await Later(Expected.Text(n));

    public string TextSync(int n) => Expected.Text(n);

    public Task<Reading> ReadingTaskAsync(int n) => Later(Expected.Reading(n));

    public async ValueTask<Reading> ReadingValueTaskAsync(int n) => await Later(Expected.Reading(n));

    public Reading ReadingSync(int n) => Expected.Reading(n);

    private static async Task<T> Later<T>(T value)
    {
        await Task.Yield();
        return value;
    }
}
