using Cacheweave.Serialization;
using Cacheweave.Tests.Keys;
using MessagePack;

namespace Cacheweave.Tests.Serialization;

public sealed class GuardDepthTests
{
    [Fact]
    public void Writing_a_cycle_in_key_mode_throws_instead_of_overflowing_the_stack()
    {
        var thrown = GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(ChainNode.Cycle(), GuardWriter.Key));

        var error = Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains($"{SerializationGuard.DefaultMaxDepth} levels", error.Message, StringComparison.Ordinal);
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_a_cycle_in_value_mode_is_rejected_as_too_deep()
    {
        var thrown = GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(ChainNode.Cycle(), GuardWriter.Value));

        var error = Assert.IsType<CacheValueRejectedException>(thrown);
        Assert.Equal(CacheValueRejectionReason.TooDeep, error.Reason);
    }

    [Theory]
    [InlineData(50_000)]
    [InlineData(1_000_000)]
    public void Writing_a_long_chain_throws_in_both_modes(int length)
    {
        var chain = ChainNode.Chain(length);

        Assert.IsType<InvalidOperationException>(GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(chain, GuardWriter.Key)));
        Assert.IsType<CacheValueRejectedException>(GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(chain, GuardWriter.Value)));
    }

    [Fact]
    public void Writing_a_deeply_nested_list_throws()
    {
        var thrown = GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(NestedLists(20_000), GuardWriter.Key));

        Assert.IsType<InvalidOperationException>(thrown);
    }

    [Fact]
    public void A_chain_at_the_limit_is_written_and_one_past_it_is_not()
    {
        // Each node is one level; the last node's null successor is not.
        var atLimit = ChainNode.Chain(SerializationGuard.DefaultMaxDepth);
        var pastLimit = ChainNode.Chain(SerializationGuard.DefaultMaxDepth + 1);

        Assert.Null(GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(atLimit, GuardWriter.Key)));
        Assert.IsType<InvalidOperationException>(GuardWriter.ThrownOnSmallStack(() => GuardWriter.Write(pastLimit, GuardWriter.Key)));
    }

    [Fact]
    public void The_depth_count_is_back_to_zero_after_a_failed_write()
    {
        Exception? afterFailure = null;
        var failed = GuardWriter.ThrownOnSmallStack(() =>
        {
            Assert.Throws<InvalidOperationException>(() => GuardWriter.Write(ChainNode.Cycle(), GuardWriter.Key));
            try
            {
                GuardWriter.Write(ChainNode.Chain(SerializationGuard.DefaultMaxDepth), GuardWriter.Key);
            }
            catch (InvalidOperationException e)
            {
                afterFailure = e;
            }
        });

        Assert.Null(failed);
        Assert.Null(afterFailure);
    }

    [Fact]
    public void A_chain_within_the_limit_writes_the_same_bytes_as_unguarded_messagepack()
    {
        var chain = ChainNode.Chain(50);

        Assert.Equal(MessagePackSerializer.Serialize(chain, GuardWriter.Plain), GuardWriter.Write(chain, GuardWriter.Key));
        Assert.Equal(MessagePackSerializer.Serialize(chain, GuardWriter.Plain), GuardWriter.Write(chain, GuardWriter.Value));
    }

    [Fact]
    public void Reading_uses_the_same_depth_limit()
    {
        Assert.Equal(SerializationGuard.DefaultMaxDepth, GuardWriter.Value.Security.MaximumObjectGraphDepth);
        var deep = MessagePackSerializer.Serialize(ChainNode.Chain(SerializationGuard.DefaultMaxDepth + 10), GuardWriter.Plain);

        Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<ChainNode>(deep, GuardWriter.Value));
    }

    [Fact]
    public void Options_cannot_be_guarded_twice()
    {
        Assert.Throws<ArgumentException>(() => SerializationGuard.CreateOptions(GuardWriter.Key, GuardMode.Key));
    }

    internal static List<object> NestedLists(int depth)
    {
        var root = new List<object>();
        var current = root;
        for (var i = 1; i < depth; i++)
        {
            var next = new List<object>();
            current.Add(next);
            current = next;
        }

        return root;
    }
}
