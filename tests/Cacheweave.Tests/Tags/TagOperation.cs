namespace Cacheweave.Tests.Tags;

/// <summary>One step of the tag model test: a call <c>Read(Id, A, B)</c>, or the invalidation of tag <c>t:A</c>.</summary>
public readonly record struct TagOperation(bool Invalidate, int Id, int A, int B)
{
    public override string ToString() => Invalidate ? $"Invalidate(t:{A})" : $"Read({Id}, {A}, {B})";
}
