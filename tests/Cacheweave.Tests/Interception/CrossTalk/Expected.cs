namespace Cacheweave.Tests.Interception.CrossTalk;

/// <summary>What each method of <see cref="IShapeService"/> returns for <c>n</c>: distinct for every n.</summary>
public static class Expected
{
    public static int Square(int n) => (n * n) + 1;

    public static long Wide(int n) => (n * 1_000_003L) + 7;

    public static Pair Pair(int n) => new(n, -n - 1);

    public static string Text(int n) => "value " + n;

    public static Reading Reading(int n) => new(n, "reading " + n);
}
