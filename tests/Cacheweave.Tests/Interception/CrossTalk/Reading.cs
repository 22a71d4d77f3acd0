namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>A reference-type result compared by value.</summary>
public sealed record Reading(int N, string Label);
