using Cacheweave.Tests.Keys;
using MessagePack;

namespace Cacheweave.Tests.Serialization;

public sealed class GuardCanonicalOrderTests
{
    [Fact]
    public void Dictionaries_with_the_same_entries_in_another_order_give_the_same_key_bytes()
    {
        var forward = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1, ["c"] = 3 };
        var backward = new Dictionary<string, int> { ["c"] = 3, ["a"] = 1, ["b"] = 2 };

        Assert.NotEqual(MessagePackSerializer.Serialize(forward, GuardWriter.Plain), MessagePackSerializer.Serialize(backward, GuardWriter.Plain));
        Assert.Equal(GuardWriter.Write(forward, GuardWriter.Key), GuardWriter.Write(backward, GuardWriter.Key));
    }

    [Fact]
    public void Sets_with_the_same_elements_in_another_order_give_the_same_key_bytes()
    {
        Assert.Equal(
            GuardWriter.Write(new HashSet<string> { "x", "y", "z" }, GuardWriter.Key),
            GuardWriter.Write(new HashSet<string> { "z", "x", "y" }, GuardWriter.Key));
    }

    [Fact]
    public void Nested_dictionaries_are_ordered_at_every_level()
    {
        var first = new Envelope(new Dictionary<string, object> { ["x"] = new Dictionary<int, string> { [1] = "a", [2] = "b" }, ["y"] = 1 });
        var second = new Envelope(new Dictionary<string, object> { ["y"] = 1, ["x"] = new Dictionary<int, string> { [2] = "b", [1] = "a" } });

        Assert.Equal(GuardWriter.Write(first, GuardWriter.Key), GuardWriter.Write(second, GuardWriter.Key));
    }

    [Fact]
    public void Dictionaries_with_different_entries_stay_different()
    {
        Assert.NotEqual(
            GuardWriter.Write(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }, GuardWriter.Key),
            GuardWriter.Write(new Dictionary<string, int> { ["a"] = 2, ["b"] = 1 }, GuardWriter.Key));
    }

    [Fact]
    public void A_dictionary_already_in_order_keeps_its_bytes()
    {
        var ordered = new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 };

        Assert.Equal(MessagePackSerializer.Serialize(ordered, GuardWriter.Plain), GuardWriter.Write(ordered, GuardWriter.Key));
    }

    [Fact]
    public void Value_mode_keeps_the_enumeration_order()
    {
        var backward = new Dictionary<string, int> { ["b"] = 2, ["a"] = 1 };

        Assert.Equal(MessagePackSerializer.Serialize(backward, GuardWriter.Plain), GuardWriter.Write(backward, GuardWriter.Value));
    }
}
