namespace Cacheweave.Tests.Traces;

/// <summary>The text formats of the block-I/O traces (<c>tests/data</c>, and the full set in <c>../shared/traces</c>).</summary>
internal enum TraceFormat
{
    /// <summary>
    /// The ARC paper's format (<c>OLTP.lis</c>): each line <c>start count ...</c> stands for <c>count</c> requests of
    /// the blocks <c>start</c>, <c>start + 1</c>, ... <c>start + count - 1</c>; further fields are ignored.
    /// </summary>
    Arc,

    /// <summary>
    /// The LIRS paper's format (<c>*.trace</c>): one block number per line; lines that are not a number
    /// (<c>*</c> markers, blank lines) are skipped.
    /// </summary>
    Lirs,
}
