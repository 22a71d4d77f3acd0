namespace Cacheweave.Tests.Interception.ByteBudget;

/// <summary>Returns strings of the asked length ('x' repeated) and counts its calls.</summary>
internal sealed class SizedResults : ISizedResults
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<string> TextAsync(int length) => Task.FromResult(Make(length));

    public Task<string> FailSafeTextAsync(int length) => Task.FromResult(Make(length));

    public ValueTask<string> TextValueAsync(int length) => new(Make(length));

    public string Text(int length) => Make(length);

    public Task<string> VersionedTextAsync(int length) => Task.FromResult(Make(length));

    public Task<Link> CycleAsync(int n)
    {
        Interlocked.Increment(ref _calls);
        var link = new Link();
        link.Next = link;
        return Task.FromResult(link);
    }

    private string Make(int length)
    {
        Interlocked.Increment(ref _calls);
        return new string('x', length);
    }
}
