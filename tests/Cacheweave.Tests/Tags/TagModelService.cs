namespace Cacheweave.Tests.Tags;

/// <summary>Returns a new number on every run, so a cached answer is told from a fresh one.</summary>
public sealed class TagModelService : ITagModelService
{
    public int Runs { get; private set; }

    public int Read(int id, int a, int b) => ++Runs;
}
