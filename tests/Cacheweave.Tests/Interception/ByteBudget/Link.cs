namespace Cacheweave.Tests.Interception.ByteBudget;

/// <summary>A result that can refer to itself, so that it cannot be serialized (or sized).</summary>
public sealed class Link
{
    public Link? Next { get; set; }
}
