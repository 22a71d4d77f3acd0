using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Cacheweave.Keys;
using FsCheck.Xunit;

namespace Cacheweave.Tests.Keys;

public sealed class KeyStringCacheTests
{
    private const string Head = "cw:test:";
    private static readonly byte[] Start = [0x92, 0xa3, (byte)'f', (byte)'o', (byte)'o'];

    [Property(MaxTest = 500)]
    public bool A_remembered_input_gives_the_key_of_a_freshly_hashed_one(byte[][] inputs)
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 30, 16));
        foreach (var input in inputs.Concat(inputs.Reverse()).Concat(inputs))
        {
            if (cache.GetOrCreate(input) != Fresh(input))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void A_repeated_input_returns_the_same_string_instance()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 20, 1_000));

        var first = cache.GetOrCreate([1, 2, 3]);

        Assert.Same(first, cache.GetOrCreate([1, 2, 3]));
        Assert.Equal(Fresh([1, 2, 3]), first);
    }

    [Fact]
    public void Keys_stay_correct_over_many_generations()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 30, 100));
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 1_000; i += 7)
            {
                var input = BitConverter.GetBytes(i);
                Assert.Equal(Fresh(input), cache.GetOrCreate(input));
            }
        }
    }

    [Fact]
    public void A_working_set_of_one_generation_is_never_hashed_again()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 30, 100_001));
        var first = Enumerable.Range(0, 100_000).Select(i => cache.GetOrCreate(BitConverter.GetBytes(i))).ToArray();

        for (var i = 0; i < 100_000; i++)
        {
            Assert.Same(first[i], cache.GetOrCreate(BitConverter.GetBytes(i)));
        }

        Assert.Equal(100_000, cache.Count);
    }

    [Fact]
    public void An_input_used_in_every_generation_survives_the_rotations()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 30, 64));
        var hot = cache.GetOrCreate([0xff]);

        for (var i = 0; i < 64 * 20; i++)
        {
            cache.GetOrCreate(BitConverter.GetBytes(i));
            if (i % 32 == 0)
            {
                // The same instance: found in a generation (or promoted from the previous one), never hashed again.
                Assert.Same(hot, cache.GetOrCreate([0xff]));
            }
        }

        Assert.InRange(cache.Count, 1, 2 * 64);
    }

    [Fact]
    public void After_a_rotation_the_previous_generation_is_still_served()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 30, 1_000));
        var keys = Enumerable.Range(0, 500).Select(i => cache.GetOrCreate(BitConverter.GetBytes(i))).ToArray();

        cache.Rotate();

        for (var i = 0; i < 500; i++)
        {
            Assert.Same(keys[i], cache.GetOrCreate(BitConverter.GetBytes(i)));
        }
    }

    [Fact]
    public void Keys_never_mismatch_their_inputs_on_eight_threads_with_more_inputs_than_capacity()
    {
        const int inputs = 5_000;
        var budget = new KeyMemoBudget(100 * 1024, 256);
        var cache = new KeyStringCache(Head, Start, budget);
        var expected = Enumerable.Range(0, inputs).Select(i => Fresh(BitConverter.GetBytes(i))).ToArray();
        var mismatches = 0;
        var calls = 0L;
        var maxCount = 0;
        var maxCharged = 0L;

        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            Span<byte> input = stackalloc byte[sizeof(int)];
            for (var n = 0; n < 100_000; n++)
            {
                // Mostly a hot tenth of the inputs, sometimes any of them: generations fill and rotate all the time.
                var i = random.Next(10) == 0 ? random.Next(inputs) : random.Next(inputs / 10);
                BitConverter.TryWriteBytes(input, i);
                if (!string.Equals(cache.GetOrCreate(input), expected[i], StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref mismatches);
                }

                Interlocked.Increment(ref calls);
                InterlockedMax(ref maxCount, cache.Count);
                InterlockedMax(ref maxCharged, budget.Charged);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, mismatches);
        Assert.Equal(800_000, calls);

        // Two generations, each closed at 256 entries; a thread that read a generation before it rotated may add one more.
        Assert.InRange(maxCount, 1, 2 * (256 + 8));
        Assert.InRange(maxCharged, 1, budget.MaxBytes + (8 * MaxEntrySize));
    }

    [Fact]
    public void The_memory_of_all_memos_stays_within_the_budget()
    {
        var budget = new KeyMemoBudget(256 * 1024, 100_000);
        var memos = Enumerable.Range(0, 4).Select(m => new KeyStringCache($"cw:m{m}:", Start, budget)).ToArray();
        var entry = KeyMemoBudget.EntrySize(sizeof(int), memos[0].GetOrCreate(BitConverter.GetBytes(-1)).Length);

        for (var i = 0; i < 20_000; i++)
        {
            var memo = memos[i % memos.Length];
            var input = BitConverter.GetBytes(i);
            Assert.Equal(Fresh(input, $"cw:m{i % memos.Length}:"), memo.GetOrCreate(input));
            Assert.InRange(budget.Charged, 0, budget.MaxBytes + entry);
            Assert.InRange(memos.Sum(m => m.Bytes), 0, budget.MaxBytes + entry);
        }

        // Far more was made than fits: the memos rotated, and each still remembers its most recent inputs.
        Assert.InRange(memos.Sum(m => m.Count), 1, (int)(budget.MaxBytes / entry) + 1);
        Assert.Same(memos[3].GetOrCreate(BitConverter.GetBytes(19_999)), memos[3].GetOrCreate(BitConverter.GetBytes(19_999)));
    }

    [Fact]
    public void A_collected_memo_stops_counting_at_the_next_rotation()
    {
        var budget = new KeyMemoBudget(256 * 1024, 100_000);
        FillAndForget(budget, 340);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The forgotten memo's charge plus this one's pass half the budget: the rotation recounts what is alive.
        var memo = new KeyStringCache(Head, Start, budget);
        var first = memo.GetOrCreate([0xff]);
        for (var i = 0; i < 200; i++)
        {
            memo.GetOrCreate(BitConverter.GetBytes(i));
        }

        Assert.Same(first, memo.GetOrCreate([0xff]));
        Assert.Equal(memo.Bytes, budget.Charged);
    }

    [Fact]
    public void A_memo_without_budget_hashes_every_input()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(0, 100));

        var first = cache.GetOrCreate([1, 2, 3]);
        var second = cache.GetOrCreate([1, 2, 3]);

        Assert.Equal(Fresh([1, 2, 3]), first);
        Assert.Equal(first, second);
        Assert.NotSame(first, second);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_long_input_is_hashed_but_not_kept()
    {
        var cache = new KeyStringCache(Head, Start, new KeyMemoBudget(1L << 20, 100));
        var input = new byte[4_096];
        new Random(5).NextBytes(input);

        Assert.Equal(Fresh(input), cache.GetOrCreate(input));
        Assert.Equal(0, cache.Count);
    }

    private static long MaxEntrySize => KeyMemoBudget.EntrySize(sizeof(int), Head.Length + 64);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FillAndForget(KeyMemoBudget budget, int count)
    {
        var memo = new KeyStringCache(Head, Start, budget);
        for (var i = 0; i < count; i++)
        {
            memo.GetOrCreate(BitConverter.GetBytes(-1 - i));
        }

        Assert.InRange(budget.Charged, budget.MaxBytes / 4, budget.MaxBytes / 2);
    }

    private static string Fresh(byte[] input, string head = Head) => head + Convert.ToHexStringLower(SHA256.HashData([.. Start, .. input]));

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Interlocked.Read(ref target);
        }
    }
}
