namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>A small struct without references: the plans reuse a box for it when the same bits come back.</summary>
public readonly record struct Pair(int Left, int Right);
