using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Cacheweave.Interception;
using Cacheweave.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace Cacheweave.Tests.Serialization;

/// <summary>
/// A dictionary's or set's comparer decides what the method sees (membership, lookups, a sorted collection's order), so
/// two collections with equal entries and different comparers must not share a key; collections on the default comparer
/// keep the key they had.
/// </summary>
public sealed class GuardCollectionComparerTests
{
    [Fact]
    public void Dictionaries_with_equal_entries_and_different_comparers_give_different_key_bytes()
    {
        var plain = new Dictionary<string, int> { ["a"] = 1 };
        var ignoringCase = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["a"] = 1 };
        var invariant = new Dictionary<string, int>(StringComparer.InvariantCulture) { ["a"] = 1 };

        AssertDistinct(Key(plain), Key(ignoringCase), Key(invariant));
    }

    [Fact]
    public void The_default_comparer_and_ordinal_equality_keep_the_key_bytes_collections_had()
    {
        var plain = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };
        var ordinal = new Dictionary<string, int>(StringComparer.Ordinal) { ["a"] = 1, ["b"] = 2 };
        var sorted = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };

        Assert.Equal(MessagePack.MessagePackSerializer.Serialize(sorted, GuardWriter.Plain), Key(plain));
        Assert.Equal(Key(plain), Key(ordinal));
        Assert.Equal(Key(new HashSet<int> { 1, 2 }), Key(new HashSet<int>(EqualityComparer<int>.Default) { 2, 1 }));
        Assert.Equal(Key(new SortedSet<int> { 1, 2 }), Key(new SortedSet<int>(Comparer<int>.Default) { 2, 1 }));
    }

    [Fact]
    public void Sorted_sets_in_ordinal_and_in_culture_order_give_different_key_bytes()
    {
        // Enumerated in different orders ("B" before "a" ordinally, after it by culture): the method sees two sequences.
        var culture = new SortedSet<string> { "a", "B" };
        var ordinal = new SortedSet<string>(StringComparer.Ordinal) { "a", "B" };

        Assert.NotEqual(culture.ToArray(), ordinal.ToArray());
        AssertDistinct(Key(culture), Key(ordinal));
    }

    [Fact]
    public void Culture_comparers_are_told_apart_by_culture_and_options_and_equal_ones_share_a_key()
    {
        HashSet<string> Of(CultureInfo culture, bool ignoreCase) => new(StringComparer.Create(culture, ignoreCase)) { "i" };
        var turkish = CultureInfo.GetCultureInfo("tr-TR");
        var english = CultureInfo.GetCultureInfo("en-US");

        AssertDistinct(Key(Of(turkish, true)), Key(Of(english, true)), Key(Of(english, false)));
        Assert.Equal(Key(Of(english, true)), Key(Of(english, true)));
    }

    [Fact]
    public void The_comparer_is_read_from_concurrent_and_immutable_collections_too()
    {
        var entries = new Dictionary<string, int> { ["a"] = 1 };
        AssertDistinct(
            Key(new ConcurrentDictionary<string, int>(entries)),
            Key(new ConcurrentDictionary<string, int>(entries, StringComparer.OrdinalIgnoreCase)));
        AssertDistinct(
            Key(entries.ToImmutableDictionary()),
            Key(entries.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase)));
    }

    [Fact]
    public void A_comparer_type_without_state_is_described_by_its_type()
    {
        var first = new HashSet<string>(new FirstLetterComparer()) { "apple" };
        var last = new HashSet<string>(new LastLetterComparer()) { "apple" };

        AssertDistinct(Key(new HashSet<string> { "apple" }), Key(first), Key(last));
        Assert.Equal(Key(first), Key(new HashSet<string>(new FirstLetterComparer()) { "apple" }));
    }

    [Fact]
    public void A_comparer_with_state_is_refused_naming_its_type()
    {
        var byDelegate = new HashSet<string>(EqualityComparer<string>.Create((x, y) => x?.Length == y?.Length, s => s.Length)) { "a" };
        var configured = new HashSet<string>(new PrefixComparer(2)) { "a" };

        foreach (var set in new[] { byDelegate, configured })
        {
            var thrown = Assert.ThrowsAny<Exception>(() => Key(set));
            var message = AllMessages(thrown);
            Assert.Contains("holds state", message, StringComparison.Ordinal);
            Assert.Contains(set.Comparer.GetType().Name, message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_proxied_lookup_returns_what_the_method_returns_for_each_comparer()
    {
        var real = new Lookup();
        var services = new ServiceCollection();
        services.AddCacheweave(cacheweave => cacheweave.UseDefaultBackend(_ => new Cacheweave.Backends.LruBackend(100)));
        services.AddSingleton<ILookup>(real);
        services.AddCachedProxy<ILookup>();
        await using var provider = services.BuildServiceProvider();
        var lookup = provider.GetRequiredService<ILookup>();

        var ignoringCase = await lookup.ContainsAsync(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["a"] = 1 }, "A");
        var exact = await lookup.ContainsAsync(new Dictionary<string, int> { ["a"] = 1 }, "A");
        var ignoringCaseAgain = await lookup.ContainsAsync(new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase) { ["a"] = 1 }, "A");

        Assert.True(ignoringCase);
        Assert.False(exact);
        Assert.True(ignoringCaseAgain);
        Assert.Equal(2, real.Calls);
    }

    private static byte[] Key<T>(T value) => GuardWriter.Write(value, GuardWriter.Key);

    private static void AssertDistinct(params byte[][] keys) =>
        Assert.Equal(keys.Length, keys.Select(Convert.ToHexString).Distinct().Count());

    private static string AllMessages(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(" | ", messages);
    }

    public interface ILookup
    {
        [Cached]
        Task<bool> ContainsAsync(Dictionary<string, int> entries, string key);
    }

    public sealed class Lookup : ILookup
    {
        public int Calls { get; private set; }

        public Task<bool> ContainsAsync(Dictionary<string, int> entries, string key)
        {
            Calls++;
            return Task.FromResult(entries.ContainsKey(key));
        }
    }

    private sealed class FirstLetterComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => x?[0] == y?[0];

        public int GetHashCode(string obj) => obj[0];
    }

    private sealed class LastLetterComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => x?[^1] == y?[^1];

        public int GetHashCode(string obj) => obj[^1];
    }

    private sealed class PrefixComparer(int length) : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => string.Equals(x?[..Math.Min(length, x.Length)], y?[..Math.Min(length, y.Length)], StringComparison.Ordinal);

        public int GetHashCode(string obj) => obj[..Math.Min(length, obj.Length)].GetHashCode(StringComparison.Ordinal);
    }
}
