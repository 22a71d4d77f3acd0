namespace Cacheweave.Tests.Interception.Mutation;

/// <summary>A mutable argument: its key changes when its contents do.</summary>
public sealed class Basket
{
    public string Name { get; set; } = "";
}
