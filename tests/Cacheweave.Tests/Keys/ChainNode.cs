namespace Cacheweave.Tests.Keys;

/// <summary>
/// A linked node: chains of any length and cycles. A class, not a record, so that nothing in the test (equality,
/// ToString) walks the chain recursively itself.
/// </summary>
public sealed class ChainNode
{
    public int Value { get; set; }

    public ChainNode? Next { get; set; }

    /// <summary>A chain of <paramref name="length"/> nodes, built without recursion.</summary>
    public static ChainNode Chain(int length)
    {
        var head = new ChainNode { Value = 0 };
        var tail = head;
        for (var i = 1; i < length; i++)
        {
            tail.Next = new ChainNode { Value = i };
            tail = tail.Next;
        }

        return head;
    }

    /// <summary>A node that is its own successor.</summary>
    public static ChainNode Cycle()
    {
        var node = new ChainNode { Value = 1 };
        node.Next = node;
        return node;
    }
}
