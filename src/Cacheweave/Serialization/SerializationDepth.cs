namespace Cacheweave.Serialization;

/// <summary>
/// How many guarded object and collection levels the serializer is inside of on this thread. Serialization is
/// synchronous, so a per-thread count follows exactly one serializer's recursion; a serialization started from inside
/// another one (a property getter that builds a key) counts on top of it, which is what the shared stack needs.
/// </summary>
internal static class SerializationDepth
{
    [ThreadStatic]
    private static int t_depth;

    /// <summary>Enters one level; returns false (and enters nothing) when that would exceed <paramref name="maxDepth"/>.</summary>
    public static bool TryEnter(int maxDepth)
    {
        var depth = t_depth + 1;
        if (depth > maxDepth)
        {
            return false;
        }

        t_depth = depth;
        return true;
    }

    /// <summary>Leaves the level entered by a successful <see cref="TryEnter"/>.</summary>
    public static void Exit() => t_depth--;
}
