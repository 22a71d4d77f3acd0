using Cacheweave.Interception;
using Cacheweave.Serialization;
using Cacheweave.Tests.Interception;
using Cacheweave.Tests.Serialization;
using NSubstitute;

namespace Cacheweave.Tests.Keys;

/// <summary>
/// Issue 8 #7 for arguments: graphs that would overflow the stack end in an <see cref="ArgumentException"/> naming the
/// method and the parameter. Run in the test process itself, on a 1 MB stack: a crash would end the test run.
/// </summary>
public sealed class DeepArgumentTests : IDisposable
{
    private readonly ProxyHarness<IGraphService> _harness = new();

    public static TheoryData<string, Func<object>> Graphs => new()
    {
        { "cycle", () => ChainNode.Cycle() },
        { "chain of 50,000", () => ChainNode.Chain(50_000) },
        { "chain of 1,000,000", () => ChainNode.Chain(1_000_000) },
    };

    public void Dispose() => _harness.Dispose();

    [Theory]
    [MemberData(nameof(Graphs))]
    public void A_graph_too_deep_for_a_key_fails_the_proxied_call_naming_method_and_parameter(string shape, Func<object> graph)
    {
        var node = (ChainNode)graph();

        var thrown = GuardWriter.ThrownOnSmallStack(() => _harness.Proxy.ChainAsync(node).GetAwaiter().GetResult());

        AssertNamesChainParameter(thrown, shape);
        _ = _harness.Real.DidNotReceiveWithAnyArgs().ChainAsync(default!);
    }

    [Theory]
    [MemberData(nameof(Graphs))]
    public void A_graph_too_deep_for_a_key_fails_InvalidateAsync_naming_method_and_parameter(string shape, Func<object> graph)
    {
        var node = (ChainNode)graph();

        var thrown = GuardWriter.ThrownOnSmallStack(
            () => _harness.Invalidator.InvalidateAsync<IGraphService>(s => s.ChainAsync(node)).AsTask().GetAwaiter().GetResult());

        AssertNamesChainParameter(thrown, shape);
    }

    [Fact]
    public void A_list_nested_20000_deep_fails_the_proxied_call_and_InvalidateAsync()
    {
        var nested = GuardDepthTests.NestedLists(20_000);

        var fromCall = GuardWriter.ThrownOnSmallStack(() => _harness.Proxy.NestedAsync(nested).GetAwaiter().GetResult());
        var fromInvalidate = GuardWriter.ThrownOnSmallStack(
            () => _harness.Invalidator.InvalidateAsync<IGraphService>(s => s.NestedAsync(nested)).AsTask().GetAwaiter().GetResult());

        foreach (var thrown in new[] { fromCall, fromInvalidate })
        {
            var error = Assert.IsType<ArgumentException>(thrown);
            Assert.Equal("items", error.ParamName);
            Assert.Contains("IGraphService.NestedAsync", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_chain_within_the_limit_is_cached()
    {
        _harness.Real.ChainAsync(Arg.Any<ChainNode>()).Returns(7);
        var chain = ChainNode.Chain(SerializationGuard.DefaultMaxDepth);

        Assert.Equal(7, await _harness.Proxy.ChainAsync(chain));
        Assert.Equal(7, await _harness.Proxy.ChainAsync(chain));

        await _harness.Real.Received(1).ChainAsync(Arg.Any<ChainNode>());
    }

    private static void AssertNamesChainParameter(Exception? thrown, string shape)
    {
        var error = Assert.IsType<ArgumentException>(thrown);
        Assert.Equal("node", error.ParamName);
        Assert.Contains("IGraphService.ChainAsync", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{SerializationGuard.DefaultMaxDepth} levels", error.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(shape));
    }
}
