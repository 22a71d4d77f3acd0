namespace Cacheweave.Tests.Infrastructure;

/// <summary>
/// Tests that measure the whole process (retained memory through <c>GC.GetTotalMemory</c>) run in this collection,
/// which xunit runs alone after the parallel ones: other tests allocating at the same time would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessMeasurement
{
    /// <summary>The collection's name, for <c>[Collection(WholeProcessMeasurement.Name)]</c>.</summary>
    public const string Name = "Whole-process measurement";
}
