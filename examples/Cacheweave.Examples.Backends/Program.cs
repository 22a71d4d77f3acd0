// Shows, in a few lines each, which entry every in-memory backend gives up when it is full and how entries
// expire. Time is a FakeTimeProvider so the expiry part runs instantly and prints the same every time.
using Cacheweave.Backends;
using Microsoft.Extensions.Time.Testing;

var clock = new FakeTimeProvider();

Show("LRU (capacity 3): reading 'a' saves it; 'b' is the least recently used", new LruBackend(3, clock), async cache =>
{
    await FillAsync(cache, "a", "b", "c");
    await cache.GetAsync<string>("a");
    await cache.PutAsync("d", "D");
});

Show("LFU (capacity 3): 'a' read twice, 'c' once; 'b' is the least frequently used", new LfuBackend(3, clock), async cache =>
{
    await FillAsync(cache, "a", "b", "c");
    await cache.GetAsync<string>("a");
    await cache.GetAsync<string>("a");
    await cache.GetAsync<string>("c");
    await cache.PutAsync("d", "D");
});

Show("TTL (capacity 3, default 10 s): 'b' was given 2 s, so it would expire soonest", new TtlBackend(TimeSpan.FromSeconds(10), 3, clock), async cache =>
{
    await cache.PutAsync("a", "A");
    await cache.PutAsync("b", "B", CacheEntryOptions.FromSeconds(2));
    await cache.PutAsync("c", "C");
    await cache.PutAsync("d", "D");
});

Show("LRU+TTL (capacity 3, default 5 s): after 5.5 s everything written at the start is gone", new LruTtlBackend(3, TimeSpan.FromSeconds(5), clock), async cache =>
{
    await FillAsync(cache, "a", "b");
    clock.Advance(TimeSpan.FromSeconds(3));
    await cache.PutAsync("c", "C");
    clock.Advance(TimeSpan.FromSeconds(2.5));
    var a = await cache.GetAsync<string>("a");
    var c = await cache.GetAsync<string>("c");
    Console.WriteLine($"  at 5.5 s: a -> {a}, c -> {c}");
});

Show("FIFO (capacity 3): 'a' was read and rewritten, but was inserted first, so it leaves first", new FifoBackend(3, clock), async cache =>
{
    await FillAsync(cache, "a", "b", "c");
    await cache.GetAsync<string>("a");
    await cache.PutAsync("a", "A2");
    await cache.PutAsync("d", "D");
});

Show("LRU with a byte budget of 10: 'd' (6 bytes) needs room, so the least recently used leave until it fits", new LruBackend(new InMemoryBackendOptions
{
    MaxBytes = 10,
    Sizer = (_, value) => ((string)value!).Length,
    TimeProvider = clock,
}), async cache =>
{
    await cache.PutAsync("a", "AAA");
    await cache.PutAsync("b", "BBB");
    await cache.PutAsync("c", "CCC");
    await cache.GetAsync<string>("a");
    await cache.PutAsync("d", "DDDDDD");
});

static async Task FillAsync(ICacheBackend cache, params string[] keys)
{
    foreach (var key in keys)
    {
        await cache.PutAsync(key, key.ToUpperInvariant());
    }
}

static void Show(string title, InMemoryBackend cache, Func<ICacheBackend, Task> scenario)
{
    Console.WriteLine(title);
    cache.EntryRemoved += (_, e) => Console.WriteLine($"  removed '{e.Key}' ({e.Reason})");
    scenario(cache).GetAwaiter().GetResult();
    var keys = new[] { "a", "b", "c", "d" }.Where(k => cache.TryGet<string>(k, out _));
    Console.WriteLine($"  holds: {string.Join(", ", keys)}  {cache.Statistics}");
    cache.Dispose();
}
